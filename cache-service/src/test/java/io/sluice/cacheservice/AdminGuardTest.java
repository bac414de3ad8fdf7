package io.sluice.cacheservice;

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
 * documented public ones (cache-service/README.md) refuses a missing or wrong admin token with 401 problem+json.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class AdminGuardTest {

    /** The documented public state-changing operations: everything else is an operator operation. */
    private static final Set<String> PUBLIC = Set.of("PUT /v1/cache/entries/{namespace}/{key}",
            "DELETE /v1/cache/entries/{namespace}/{key}",
            "POST /v1/cache/invalidate", "POST /v1/cache/warm", "POST /v1/cache/query");

    @Test
    void everyStateChangingOperatorOperationRefusesAMissingOrWrongToken() {
        List<String> checked = AdminEndpoints.assertOperatorOperationsRefuseBadTokens(PUBLIC, Map.of());
        assertThat(checked).contains("DELETE /v1/cache/namespaces/{namespace}", "POST /v1/cache/admin/notify-triggers");
    }
}
