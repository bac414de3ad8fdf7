package io.sluice.partitionmanager;

import java.util.List;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.OpenApiContractTest;
import io.sluice.testing.SluiceInfraResource;

/** Every operation of partition-manager is in /q/openapi, complete (test-harness {@link OpenApiContractTest}). */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class OpenApiTest extends OpenApiContractTest {

    @Override
    protected List<Class<?>> problemTypeClasses() {
        return List.of(PartitionManagerProblem.class);
    }
}
