package io.sluice.partitionmanager.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.sluice.common.auth.BearerTokens;
import io.sluice.partitionmanager.config.PartitionManagerConfig;

/**
 * Every request that changes something (any method but GET and HEAD) needs the admin token: DDL, retention,
 * restores and conversions are operator actions. The planner ({@code POST /v1/partition-sets/plan}) only computes.
 */
public class AdminTokenFilter {

    private static final String PLAN = "/v1/partition-sets/plan";

    private final PartitionManagerConfig config;

    public AdminTokenFilter(PartitionManagerConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || PLAN.equals(request.getUriInfo().getRequestUri().getPath())) {
            return;
        }
        BearerTokens.requireAdmin(request.getHeaderString(HttpHeaders.AUTHORIZATION), config.admin().token(),
                "partition-manager.admin.token");
    }
}
