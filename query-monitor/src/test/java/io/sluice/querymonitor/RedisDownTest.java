package io.sluice.querymonitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** Without Redis the fleet's figures cannot be read: a documented 503, never a 500; ingest goes on in memory. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RedisDownTest {

    @AfterEach
    void heal() {
        SluiceInfra.get().heal();
    }

    @Test
    void fleetReadsAnswer503WhileRedisIsDownAndRecoverByThemselves() {
        SluiceInfra.get().redis().stop();
        given().contentType("application/json")
                .body("{\"samples\": [{\"sql\": \"SELECT 1\", \"database\": \"redis-down\", \"duration_ms\": 2}]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        for (String path : new String[] {"/metrics/queries", "/v1/queries/slow", "/v1/queries/regressions"}) {
            given().when().get(path).then().statusCode(503).contentType("application/problem+json")
                    .body("type", endsWith("/redis-unavailable"), "status", is(503));
        }
        SluiceInfra.get().redis().start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> given().when().get("/metrics/queries").statusCode() == 200);
    }
}
