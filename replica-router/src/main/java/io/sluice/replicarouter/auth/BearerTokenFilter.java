package io.sluice.replicarouter.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.sluice.common.auth.BearerTokens;
import io.sluice.replicarouter.config.RouterConfig;

/**
 * Checks client bearer tokens before /sql and /v1/bulk run (when {@code replica-router.auth.client-tokens} is set);
 * the admin endpoints are {@code @AdminOnly}, checked by common's {@code AdminGuard}.
 */
public class BearerTokenFilter {

    private final RouterConfig config;

    public BearerTokenFilter(RouterConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, SimpleResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        if (type == null) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (type.isAnnotationPresent(ClientTokenRequired.class)) {
            config.auth().clientTokens().ifPresent(tokens -> BearerTokens.require(authorization, tokens,
                    "a client token"));
        }
    }
}
