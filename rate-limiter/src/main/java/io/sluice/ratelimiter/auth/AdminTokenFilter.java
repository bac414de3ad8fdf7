package io.sluice.ratelimiter.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.sluice.common.auth.BearerTokens;
import io.sluice.ratelimiter.config.RateLimiterConfig;

/** The operator endpoints need {@code Authorization: Bearer <rate-limiter.admin.token>} (common's rule). */
public class AdminTokenFilter {

    private final RateLimiterConfig config;

    public AdminTokenFilter(RateLimiterConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, SimpleResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        if (type != null && type.isAnnotationPresent(AdminTokenRequired.class)) {
            BearerTokens.requireAdmin(request.getHeaderString(HttpHeaders.AUTHORIZATION), config.admin().token(),
                    "rate-limiter.admin.token");
        }
    }
}
