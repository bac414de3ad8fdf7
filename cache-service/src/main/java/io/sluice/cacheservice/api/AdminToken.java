package io.sluice.cacheservice.api;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.common.auth.BearerTokens;

/** Checks the admin bearer token (common's rule): none configured means admin endpoints are closed (403). */
@ApplicationScoped
public class AdminToken {

    private final CacheServiceConfig config;

    public AdminToken(CacheServiceConfig config) {
        this.config = config;
    }

    public void require(String authorization) {
        BearerTokens.requireAdmin(authorization, config.adminToken(), "cache-service.admin-token");
    }
}
