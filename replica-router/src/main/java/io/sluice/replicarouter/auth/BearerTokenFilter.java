package io.sluice.replicarouter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.config.RouterConfig;

/**
 * Checks bearer tokens before a resource runs: client tokens on /sql, the admin token on admin endpoints.
 * Tokens are compared in constant time and never logged.
 */
public class BearerTokenFilter {

    private static final java.util.Map<String, String> CHALLENGE =
            java.util.Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");

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
        if (type.isAnnotationPresent(AdminTokenRequired.class)) {
            String admin = config.admin().token().orElseThrow(() -> new ProblemException(CommonProblem.FORBIDDEN,
                    "Admin endpoints are disabled: set replica-router.admin.token (REPLICA_ROUTER_ADMIN_TOKEN)"));
            require(request, List.of(admin), "the admin token");
        } else if (type.isAnnotationPresent(ClientTokenRequired.class)) {
            config.auth().clientTokens().ifPresent(tokens -> require(request, tokens, "a client token"));
        }
    }

    private static void require(ContainerRequestContext request, List<String> accepted, String what) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "Send Authorization: Bearer with " + what)
                    .withHeaders(CHALLENGE);
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String token : accepted) {
            ok |= MessageDigest.isEqual(presented, token.getBytes(StandardCharsets.UTF_8));
        }
        if (!ok) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "The bearer token is not " + what)
                    .withHeaders(CHALLENGE);
        }
    }
}
