package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class StatsWarmAndMetricsTest {

    @Test
    void statsReportHitsMissesAndMemoryPerNamespace() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        var q = query(ns, "SELECT v FROM " + t).ttl(60);
        q.post();
        q.post();
        q.post();
        JsonPath stats = given().queryParam("namespace", ns).when().get("/v1/cache/stats").then().statusCode(200)
                .extract().jsonPath();
        assertThat(stats.getString("namespaces[0].namespace")).isEqualTo(ns);
        assertThat(stats.getLong("namespaces[0].misses")).isEqualTo(1);
        assertThat(stats.getLong("namespaces[0].hits")).isEqualTo(2);
        assertThat(stats.getDouble("namespaces[0].hitRate")).isBetween(0.66, 0.67);
        assertThat(stats.getLong("namespaces[0].memoryBytes")).isPositive();
        assertThat(stats.getLong("namespaces[0].memoryKeys")).isEqualTo(1);
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'cache-service' }.data.hitRate5m", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void metricsAreExposedWithBoundedTags() {
        String t = CacheApi.table();
        query("metrics-ns", "SELECT v FROM " + t).post();
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("sluice_cacheservice_lookups_total{namespace=\"metrics-ns\",outcome=\"miss\"}"))
                .body(containsString("sluice_cacheservice_lookups_total{namespace=\"other\",outcome=\"hit\"}"))
                .body(containsString("sluice_cacheservice_fills_total{outcome=\"stored\"}"))
                .body(containsString("sluice_cacheservice_load_duration_seconds_count{outcome=\"ok\",source=\"pool\"}"))
                .body(containsString("sluice_cacheservice_invalidation_lag_seconds"))
                .body(containsString("sluice_cacheservice_redis_failures_total"))
                .body(containsString("sluice_cacheservice_near_hits_total"));
    }

    @Test
    void warmingLoadsQueriesInBatchesAndReportsProgress() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        List<Map<String, Object>> queries = List.of(
                query(ns, "SELECT v FROM " + t + " WHERE id = 1").body(),
                query(ns, "SELECT v FROM " + t + " WHERE id = 2").body(),
                query(ns, "SELECT count(*) FROM " + t).body());
        String id = given().contentType("application/json").body(Map.of("queries", queries, "batch_size", 2))
                .when().post("/v1/cache/warm").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonPath job = given().when().get("/v1/cache/warm/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(job.getString("state")).isEqualTo("done");
            assertThat(job.getInt("loaded")).isEqualTo(3);
            assertThat(job.getInt("batches")).isEqualTo(2);
        });
        assertThat(query(ns, "SELECT v FROM " + t + " WHERE id = 2").post().header("X-Cache")).isEqualTo("HIT");
        given().when().get("/v1/cache/warm/nope").then().statusCode(404).contentType("application/problem+json");
    }
}
