package io.sluice.querymonitor;

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
 * documented public ones (query-monitor/README.md) refuses a missing or wrong admin token with 401 problem+json.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class AdminGuardTest {

    /** The documented public state-changing operations: everything else is an operator operation. */
    private static final Set<String> PUBLIC = Set.of("POST /v1/queries/samples");

    @Test
    void everyStateChangingOperatorOperationRefusesAMissingOrWrongToken() {
        // A known console action, so the console's own check (after the action lookup) is reached.
        List<String> checked = AdminEndpoints.assertOperatorOperationsRefuseBadTokens(PUBLIC,
                Map.of("action", "rate-limiter.tier"));
        assertThat(checked).contains("POST /v1/queries/{fingerprint}/explain", "POST /v1/indexes/verifications",
                "POST /console/api/actions/{action}");
    }
}
