package io.sluice.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.AdminEndpoints;
import io.sluice.testing.SluiceInfraResource;

/**
 * The one admin guard (common's {@code @AdminOnly}): every state-changing operation in the OpenAPI document but the
 * documented public ones (rate-limiter/README.md) refuses a missing or wrong admin token with 401 problem+json.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class AdminGuardTest {

    /** The documented public state-changing operations: everything else is an operator operation. */
    private static final Set<String> PUBLIC = Set.of("POST /v1/ratelimit/check");

    @Test
    void everyStateChangingOperatorOperationRefusesAMissingOrWrongToken() {
        List<String> checked = AdminEndpoints.assertOperatorOperationsRefuseBadTokens(PUBLIC, Map.of());
        assertThat(checked).contains("PUT /v1/ratelimit/keys/{key}",
                "DELETE /v1/ratelimit/keys/{key}", "PUT /v1/ratelimit/tiers");
    }
}
