package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

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

    /** common's GET /v1/history: the four services with chart figures serve theirs; this one keeps none. */
    @Test
    void historyIsNotFoundHereAsAProblem() {
        given().when().get("/v1/history").then().statusCode(404).contentType("application/problem+json")
                .body("type", endsWith("/not-found"));
    }
}
