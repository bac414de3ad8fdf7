package io.sluice.cacheservice;

import java.util.List;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.OpenApiContractTest;
import io.sluice.testing.SluiceInfraResource;

/** Every operation of cache-service is in /q/openapi, complete (test-harness {@link OpenApiContractTest}). */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class OpenApiTest extends OpenApiContractTest {

    @Override
    protected List<Class<?>> problemTypeClasses() {
        return List.of(CacheServiceProblem.class);
    }
}
