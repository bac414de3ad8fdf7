package io.sluice.replicarouter;

import java.util.List;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.ServiceContractTest;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class ReplicaRouterContractTest extends ServiceContractTest {

    @Override
    protected String jsonEndpoint() {
        return "/sql";
    }

    @Override
    protected String requiredField() {
        return "query";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("replica-router-nodes", "Redis connection health check");
    }

    @Override
    protected String sluiceMetric() {
        return "sluice_replicarouter_routed_total";
    }
}
