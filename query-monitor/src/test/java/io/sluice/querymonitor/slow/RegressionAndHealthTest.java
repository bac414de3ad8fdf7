package io.sluice.querymonitor.slow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RegressionAndHealthTest {

    @Inject
    FlushService flush;
    @Inject
    RegressionDetector detector;

    private static void post(String sql, String database, double ms, int count, Instant at) {
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add("{\"sql\": \"" + sql + "\", \"database\": \"" + database + "\", \"duration_ms\": "
                    + (ms + i % 3) + ", \"timestamp\": \"" + at + "\"}");
        }
        given().contentType("application/json").body("{\"samples\": [" + String.join(",", samples) + "]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
    }

    @Test
    void aP95AboveTwiceTheDayIsFlaggedOnceAsAnEventAndAMetric() {
        String database = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        String sql = "SELECT * FROM invoices WHERE id = 1";
        String steady = "SELECT * FROM invoices WHERE customer = 1";
        post(sql, database, 10, 200, Instant.now().minus(Duration.ofHours(3)));
        post(sql, database, 100, 30, Instant.now());
        post(steady, database, 10, 200, Instant.now().minus(Duration.ofHours(3)));
        post(steady, database, 10, 30, Instant.now());
        flush.flush().await().atMost(Duration.ofSeconds(10));
        double before = MetricsScrape.value("sluice_querymonitor_regressions_total");

        List<Regression> found = detector.detect().await().atMost(Duration.ofSeconds(10)).stream()
                .filter(r -> r.database().equals(database)).toList();
        assertThat(found).singleElement().satisfies(r -> {
            assertThat(r.fingerprint()).isEqualTo(SqlNormalizer.fingerprint(sql));
            assertThat(r.recentP95Ms()).isGreaterThan(2 * r.baselineP95Ms());
            assertThat(r.recentCalls()).isEqualTo(30);
        });
        assertThat(MetricsScrape.value("sluice_querymonitor_regressions_total")).isGreaterThanOrEqualTo(before + 1);
        given().when().get("/v1/queries/regressions").then().statusCode(200)
                .body(containsString(SqlNormalizer.fingerprint(sql)));
        // Raised once: the next run within the hour stays quiet.
        assertThat(detector.detect().await().atMost(Duration.ofSeconds(10)))
                .noneMatch(r -> r.database().equals(database));
    }

    @Test
    void readinessReportsEachMonitoredDatabase() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(containsString("query-monitor-databases"))
                .body(containsString("reachable, pg_stat_statements present"));
    }

    @Test
    void metricsCarryTheServiceSeries() {
        given().contentType("application/json")
                .body("{\"samples\": [{\"sql\": \"SELECT 1\", \"duration_ms\": 1}]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        flush.flush().await().atMost(Duration.ofSeconds(10));
        String metrics = given().when().get("/q/metrics").asString();
        assertThat(metrics).contains("sluice_querymonitor_samples_total", "sluice_querymonitor_slow_queries_total",
                "sluice_querymonitor_query_duration_seconds_bucket{fingerprint=\"",
                "sluice_querymonitor_ingest_duration_seconds_count", "sluice_querymonitor_flush_duration_seconds_count",
                "sluice_querymonitor_fingerprints_tracked");
    }
}
