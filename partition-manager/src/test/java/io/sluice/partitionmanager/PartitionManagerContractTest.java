package io.sluice.partitionmanager;

import java.util.List;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.ServiceContractTest;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class PartitionManagerContractTest extends ServiceContractTest {

    @Override
    protected String jsonEndpoint() {
        return "/v1/partition-sets/plan";
    }

    @Override
    protected String requiredField() {
        return "table";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("Database connections health check", "Redis connection health check", "partition-sets");
    }

    @Override
    protected String sluiceMetric() {
        return "sluice_partitionmanager_plans_total";
    }
}
