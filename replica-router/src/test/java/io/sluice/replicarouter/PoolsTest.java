package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testing.SluiceInfraResource;

/** GET /v1/pools and the runtime resize, against real pools. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class PoolsTest {

    private static final String ADMIN = "Bearer test-admin-token";

    @Test
    void theReportShowsUseTimesLimitsAndASizingRecommendation() {
        for (int i = 0; i < 20; i++) {
            post(sql("SELECT 1")).then().statusCode(200);
            post(sql("SELECT 1").header("Sluice-Route", "primary")).then().statusCode(200);
        }
        JsonPath report = given().when().get("/v1/pools").then().statusCode(200).extract().jsonPath();
        Map<String, Object> primary = report.getMap("find { it.node == 'primary' }");
        assertThat(primary).containsEntry("role", "primary").containsEntry("maxSize", 20).containsEntry("inUse", 0);
        // The harness's primary has max_connections 200 and 3 reserved superuser slots.
        assertThat(primary).containsEntry("serverConnectionLimit", 197);
        assertThat(report.getDouble("find { it.node == 'primary' }.connectMs")).isPositive();
        assertThat(report.getDouble("find { it.node == 'primary' }.acquireMs.p99")).isGreaterThanOrEqualTo(
                report.getDouble("find { it.node == 'primary' }.acquireMs.p50"));
        assertThat(report.getDouble("find { it.node == 'replica1' }.holdMs.p50")).isPositive();
        assertThat(report.getInt("find { it.node == 'primary' }.recommendation.size")).isGreaterThanOrEqualTo(2);
        assertThat(report.getString("find { it.node == 'primary' }.recommendation.reasoning"))
                .contains("Little's law").contains("197");
    }

    @Test
    void aConnectionHeldPastTheThresholdIsReportedWithItsRequestId() {
        String requestId = "leak-" + UUID.randomUUID();
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> post(sql("SELECT pg_sleep(4)")
                .header("Sluice-Route", "primary").header("X-Request-Id", requestId)).statusCode());
        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            List<String> leaks = given().when().get("/v1/pools").jsonPath()
                    .getList("find { it.node == 'primary' }.suspectedLeaks.requestId");
            assertThat(leaks).contains(requestId);
        });
        assertThat(slow.join()).isEqualTo(200);
        List<String> after = given().when().get("/v1/pools").jsonPath()
                .getList("find { it.node == 'primary' }.suspectedLeaks.requestId");
        assertThat(after).doesNotContain(requestId);
    }

    @Test
    void aPoolIsResizedAtRuntimeWithTheAdminToken() {
        try {
            given().header("Authorization", ADMIN).contentType("application/json").body("{\"maxSize\": 7}")
                    .when().put("/v1/admin/pools/replica1").then().statusCode(200).body("maxSize", is(7));
            given().when().get("/v1/pools").then()
                    .body("find { it.node == 'replica1' }.maxSize", is(7));
            assertThat(given().when().get("/q/metrics").asString())
                    .contains("sluice_replicarouter_pool_max_size{node=\"replica1\"} 7.0");
            for (int i = 0; i < 10; i++) {
                post(sql("SELECT 1")).then().statusCode(200);
            }
        } finally {
            given().header("Authorization", ADMIN).contentType("application/json").body("{\"maxSize\": 20}")
                    .when().put("/v1/admin/pools/replica1").then().statusCode(200);
        }
    }

    @Test
    void resizingNeedsTheTokenAKnownNodeAndASaneSize() {
        given().contentType("application/json").body("{\"maxSize\": 7}")
                .when().put("/v1/admin/pools/replica1").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer nope").contentType("application/json").body("{\"maxSize\": 7}")
                .when().put("/v1/admin/pools/replica1").then().statusCode(401);
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"maxSize\": 7}")
                .when().put("/v1/admin/pools/nowhere").then().statusCode(404)
                .body("detail", containsString("nowhere"));
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"maxSize\": 0}")
                .when().put("/v1/admin/pools/replica1").then().statusCode(400)
                .body("type", endsWith("/validation-failed")).body("errors[0].field", is("maxSize"));
    }
}
