package io.sluice.ratelimiter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.ratelimiter.config.RateLimiterConfig;

/**
 * The operator endpoints need {@code Authorization: Bearer <rate-limiter.admin.token>} (default: the shared
 * SLUICE_ADMIN_TOKEN), compared in constant time and never logged. Same convention as replica-router.
 */
public class AdminTokenFilter {

    private static final Map<String, String> CHALLENGE = Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");

    private final RateLimiterConfig config;

    public AdminTokenFilter(RateLimiterConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, SimpleResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        if (type == null || !type.isAnnotationPresent(AdminTokenRequired.class)) {
            return;
        }
        String admin = config.admin().token().filter(t -> !t.isBlank()).orElseThrow(() -> new ProblemException(
                CommonProblem.FORBIDDEN,
                "Operator endpoints are disabled: set rate-limiter.admin.token (SLUICE_ADMIN_TOKEN)"));
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "Send Authorization: Bearer with the admin token")
                    .withHeaders(CHALLENGE);
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, admin.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "The bearer token is not the admin token")
                    .withHeaders(CHALLENGE);
        }
    }
}
