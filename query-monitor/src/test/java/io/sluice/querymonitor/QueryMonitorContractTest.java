package io.sluice.querymonitor;

import java.util.List;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.ServiceContractTest;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class QueryMonitorContractTest extends ServiceContractTest {

    @Override
    protected String jsonEndpoint() {
        return "/v1/queries/samples";
    }

    @Override
    protected String requiredField() {
        return "samples";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("Reactive PostgreSQL connections health check", "Redis connection health check",
                "query-monitor-databases");
    }

    @Override
    protected String sluiceMetric() {
        return "sluice_querymonitor_samples_total";
    }
}
