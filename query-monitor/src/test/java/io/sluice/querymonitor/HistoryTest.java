package io.sluice.querymonitor;

import static io.restassured.RestAssured.given;
import static io.sluice.testing.HistoryReads.last;
import static io.sluice.testing.HistoryReads.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.history.QueryMonitorHistory;
import io.sluice.testing.SluiceInfraResource;

/** GET /v1/history: the percentiles of the fingerprints with most total time, as the fleet's sketches hold them. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class HistoryTest {

    @Inject
    FlushService flush;
    @Inject
    QueryMonitorHistory history;

    @Test
    void aPointHoldsThePercentilesOfTheTopFingerprintsOverTheLastMinute() {
        String database = "db-" + UUID.randomUUID().toString().substring(0, 8);
        String sql = "SELECT * FROM history_" + UUID.randomUUID().toString().replace("-", "") + " WHERE id = 1";
        // 90 × 100 s and 10 × 300 s: the most total time of any test, so it is among the top fingerprints; the
        // sketch's ranks (floor(q × (n - 1))) put p50 and p90 on 100 s, p95 and p99 on 300 s.
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            samples.add(sample(sql, database, i < 90 ? 100_000 : 300_000));
        }
        given().contentType("application/json").body("{\"samples\": [" + String.join(",", samples) + "]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        flush.flush().await().atMost(Duration.ofSeconds(10));
        history.sample().await().atMost(Duration.ofSeconds(10));

        var h = read();
        assertThat(h.getInt("stepSeconds")).isEqualTo(3600);
        String of = ":" + SqlNormalizer.fingerprint(sql) + ":" + database;
        assertThat(last(h, "p50Ms" + of)).isCloseTo(100_000, withinPercentage(1));
        assertThat(last(h, "p90Ms" + of)).isCloseTo(100_000, withinPercentage(1));
        assertThat(last(h, "p95Ms" + of)).isCloseTo(300_000, withinPercentage(1));
        assertThat(last(h, "p99Ms" + of)).isCloseTo(300_000, withinPercentage(1));
    }

    private static String sample(String sql, String database, double ms) {
        return "{\"sql\": \"" + sql + "\", \"database\": \"" + database + "\", \"duration_ms\": " + ms
                + ", \"rows\": 1}";
    }
}
