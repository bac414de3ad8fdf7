package io.sluice.replicarouter;

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
 * documented public ones (replica-router/README.md) refuses a missing or wrong admin token with 401 problem+json.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class AdminGuardTest {

    /** The documented public state-changing operations: everything else is an operator operation. */
    private static final Set<String> PUBLIC = Set.of("POST /sql", "POST /v1/bulk");

    @Test
    void everyStateChangingOperatorOperationRefusesAMissingOrWrongToken() {
        List<String> checked = AdminEndpoints.assertOperatorOperationsRefuseBadTokens(PUBLIC, Map.of());
        assertThat(checked).contains("PUT /v1/admin/pools/{node}", "POST /v1/admin/failover");
    }
}
