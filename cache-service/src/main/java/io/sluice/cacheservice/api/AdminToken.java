package io.sluice.cacheservice.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/** Checks the admin bearer token (constant-time); no token configured means admin endpoints are closed (403). */
@ApplicationScoped
public class AdminToken {

    private final CacheServiceConfig config;

    public AdminToken(CacheServiceConfig config) {
        this.config = config;
    }

    public void require(String authorization) {
        String expected = config.adminToken().filter(t -> !t.isBlank()).orElseThrow(() -> new ProblemException(
                CommonProblem.FORBIDDEN, "Admin endpoints are disabled: no cache-service.admin-token is set"));
        String given = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()).trim() : null;
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "A valid admin bearer token is required")
                    .withHeaders(Map.of("WWW-Authenticate", "Bearer"));
        }
    }
}
