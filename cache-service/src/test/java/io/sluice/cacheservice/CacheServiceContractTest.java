package io.sluice.cacheservice;

import java.util.List;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.ServiceContractTest;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class CacheServiceContractTest extends ServiceContractTest {

    @Override
    protected String jsonEndpoint() {
        return "/v1/cache/entries/contract/some-key";
    }

    @Override
    protected String jsonMethod() {
        return "PUT";
    }

    @Override
    protected String openApiPath() {
        return "/v1/cache/entries/{namespace}/{key}";
    }

    @Override
    protected String requiredField() {
        return "value";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("cache-service");
    }

    @Override
    protected String sluiceMetric() {
        return "sluice_cacheservice_lookups_total";
    }
}
