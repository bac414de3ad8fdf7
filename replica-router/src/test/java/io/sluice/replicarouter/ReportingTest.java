package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@TestProfile(ReportingProfile.class)
@WithTestResource(SluiceInfraResource.class)
class ReportingTest {

    @Test
    void executedStatementsReachQueryMonitorBatchedAndWithoutValues() {
        String secret = "secret-" + UUID.randomUUID();
        String sql = "SELECT length($1) + 1 AS n, 'literal-" + secret + "' AS s";
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json").body("{\"query\": \"" + sql + "\", \"params\": [\"" + secret + "\"]}")
                    .header("X-Request-Id", "report-" + i)
                    .when().post("/sql").then().statusCode(200);
        }
        String fingerprint = SqlNormalizer.fingerprint(sql);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(String.join("\n",
                ReportingProfile.RECEIVED)).contains("\"fingerprint\":\"" + fingerprint + "\"")
                .contains("\"request_id\":\"report-2\""));
        String all = String.join("\n", ReportingProfile.RECEIVED);
        assertThat(all).contains("\"sql\":\"select length(?) + ? as n, ? as s\"")
                .contains("\"node\":\"replica1\"")
                .contains("\"duration_ms\":")
                .containsPattern("\"traceparent\":\"00-[0-9a-f]{32}-[0-9a-f]{16}-01\"")
                .doesNotContain(secret);
        assertThat(given().when().get("/q/metrics").asString())
                .containsPattern("sluice_replicarouter_reports_total\\{outcome=\"sent\"} [1-9]");
    }

    @Test
    void eachBulkChunkIsOneSampleWithItsRowsAndNoValues() {
        String t = "rep_" + UUID.randomUUID().toString().replace("-", "");
        io.sluice.testing.SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (v text)");
        String secret = "bulk-secret-" + UUID.randomUUID();
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            rows.append(i == 0 ? "" : ",").append("[\"").append(secret).append("\"]");
        }
        given().contentType("application/json").header("X-Request-Id", "bulk-report")
                .body("{\"query\": \"INSERT INTO " + t + " VALUES ($1)\", \"rows\": [" + rows
                        + "], \"chunk_size\": 10, \"mode\": \"per_chunk\"}")
                .when().post("/v1/bulk").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bulkSamples()).hasSize(3));
        assertThat(bulkSamples()).allMatch(s -> s.contains("\"sql\":\"insert into " + t + " values (?)\""))
                .anyMatch(s -> s.contains("\"rows\":10")).anyMatch(s -> s.contains("\"rows\":5"));
        assertThat(String.join("\n", ReportingProfile.RECEIVED)).doesNotContain(secret);
    }

    /** The samples the bulk request sent, one JSON object each. */
    private static java.util.List<String> bulkSamples() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String body : ReportingProfile.RECEIVED) {
            try {
                json.readTree(body).get("samples").forEach(sample -> {
                    if ("bulk-report".equals(sample.path("request_id").asText())) {
                        out.add(sample.toString());
                    }
                });
            } catch (java.io.IOException e) {
                throw new AssertionError("query-monitor got a body that is not JSON: " + body, e);
            }
        }
        return out;
    }
}
