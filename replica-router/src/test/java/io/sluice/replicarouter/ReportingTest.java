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
}
