package io.sluice.querymonitor.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.auth.BearerTokens;
import io.sluice.querymonitor.console.ConsoleConfig;

/**
 * The admin token of query-monitor ({@code query-monitor.console.admin-token}, SLUICE_ADMIN_TOKEN), checked by
 * common's rule: the endpoints that run statements on a monitored database (EXPLAIN, index verifications) and the
 * console's actions need it. None configured: those endpoints are closed (403); missing or wrong: 401.
 */
@ApplicationScoped
public class AdminToken {

    public static final String KEY = "query-monitor.console.admin-token";

    private final ConsoleConfig config;

    public AdminToken(ConsoleConfig config) {
        this.config = config;
    }

    public void require(String authorization) {
        BearerTokens.requireAdmin(authorization, config.adminToken(), KEY);
    }
}
