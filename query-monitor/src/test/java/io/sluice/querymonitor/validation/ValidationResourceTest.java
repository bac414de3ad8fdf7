package io.sluice.querymonitor.validation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.querymonitor.console.SilentServiceResource;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * The scorecard against real Redis and PostgreSQL with the other services down or hung (SilentServiceResource):
 * their targets are unknown with the reason; query-monitor's own targets go through unknown, pass and fail on
 * real samples.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
@WithTestResource(SilentServiceResource.class)
class ValidationResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aBadWindowIsA400NamingTheParameter() {
        given().when().get("/v1/validation?window=2m").then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/validation-failed"))
                .body("errors[0].field", is("window"));
    }

    @Test
    void theConsoleServesTheScorecardPage() {
        given().when().get("/console/js/pages/scorecard.js").then().statusCode(200)
                .body(containsString("/v1/validation?window="));
        given().when().get("/console/").then().statusCode(200).body(containsString("href=\"#scorecard\""));
    }

    @Test
    void servicesThatDoNotAnswerMakeTheirTargetsUnknownWithWhy() {
        JsonPath card = given().when().get("/v1/validation").then().statusCode(200)
                .body("window", is("5m")).body("targets", hasSize(9)).extract().jsonPath();
        for (String id : List.of("replication-lag", "replica-reads", "pool-utilization")) {
            assertThat(target(card, id)).containsEntry("verdict", "unknown")
                    .containsEntry("reason", "replica-router unreachable: connection refused");
        }
        for (String id : List.of("cache-hit-rate", "db-query-reduction")) {
            assertThat(target(card, id)).containsEntry("verdict", "unknown")
                    .containsEntry("reason", "cache-service unreachable: no answer within the console timeout");
        }
        assertThat(target(card, "partition-runway")).containsEntry("verdict", "unknown")
                .containsEntry("reason", "partition-manager unreachable: connection refused")
                .containsEntry("runbook", "docs/runbooks.md#rb-17");
        assertThat(card.getList("unknown", String.class)).contains("replication-lag", "partition-runway");
        assertThat(MetricsScrape.value(
                "sluice_querymonitor_validation_verdict{target=\"replication-lag\",verdict=\"unknown\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void ownTargetsGoFromNoTrafficToPassToFailOnRealSamples() {
        JsonPath empty = card();
        assertThat(target(empty, "error-rate")).containsEntry("verdict", "unknown");
        // Unknown below the minimum traffic (100 calls); other test classes of this run may have reported a few.
        assertThat((String) target(empty, "error-rate").get("reason")).matches("no traffic yet: \\d reported calls.*");
        assertThat(target(empty, "latency-p95")).containsEntry("verdict", "unknown");
        assertThat(target(empty, "slow-queries")).containsEntry("verdict", "pass");

        report("select id from scorecard_fast where id = 1", 150, 5.0, null);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath c = card();
            assertThat(target(c, "error-rate")).containsEntry("verdict", "pass");
            assertThat(((Number) target(c, "error-rate").get("value")).doubleValue()).isZero();
            assertThat(target(c, "latency-p95")).containsEntry("verdict", "pass");
            assertThat(((Number) target(c, "latency-p95").get("value")).doubleValue()).isBetween(4.9, 5.1);
        });

        // A slow query no one has verified an index for fails; a verification PENDING is unknown; EFFECTIVE passes.
        String slowSql = "select * from scorecard_orders where customer = 7";
        report(slowSql, 1, 300.0, null);
        String fp = await().atMost(WAIT).until(() -> {
            Map<String, Object> t = target(card(), "slow-queries");
            return "fail".equals(t.get("verdict")) ? (String) t.get("reason") : null;
        }, r -> r != null).replaceAll(".*: ", "");
        assertThat(fp).matches("[0-9a-f]{16}");
        String id = given().contentType("application/json").header("Authorization", "Bearer console-test-token")
                .body("{\"index\": \"scorecard_orders_customer_idx\", \"fingerprints\": [\"" + fp
                        + "\"], \"min_calls\": 5}")
                .when().post("/v1/indexes/verifications").then().statusCode(201).extract().path("id");
        assertThat(target(card(), "slow-queries")).containsEntry("verdict", "unknown");
        assertThat((String) target(card(), "slow-queries").get("reason")).contains("PENDING").contains(fp);
        report(slowSql, 5, 10.0, null);
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/indexes/verifications/" + id).then()
                .body("outcome", is("EFFECTIVE")));
        assertThat(target(card(), "slow-queries")).containsEntry("verdict", "pass");
        // Slow statements no index can serve (nothing filtered, joined or sorted; only system catalogs) are named,
        // not failed.
        report("analyze scorecard_orders", 1, 400.0, null);
        report("select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 7", 1,
                300.0, null);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> t = target(card(), "slow-queries");
            assertThat(t).containsEntry("verdict", "pass");
            assertThat((String) t.get("reason")).contains("1 slow, each with an index verified EFFECTIVE")
                    .contains("2 slow that no index can serve");
        });
        // A slow call of a statement whose columns the database already indexes (a primary-key update) has nothing
        // left to suggest: named, not failed. The same statement on a column without an index fails.
        SluiceInfra.get().primary().execute("CREATE TABLE IF NOT EXISTS scorecard_keyed (id int PRIMARY KEY, v text)");
        reportTo("primary", "update scorecard_keyed set v = 'x' where id = 3", 1, 150.0);
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> t = target(card(), "slow-queries");
            assertThat(t).containsEntry("verdict", "pass");
            assertThat((String) t.get("reason")).contains("1 slow whose columns are all indexed already");
        });
        reportTo("primary", "update scorecard_keyed set id = 4 where v = 'x'", 1, 150.0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(target(card(), "slow-queries"))
                .containsEntry("verdict", "fail"));

        // 10 errors in ~166 calls is far above 0.1 %; 100 calls of 500 ms push the p95 over 200 ms.
        report("select id from scorecard_fast where id = 1", 10, 5.0, "40001");
        report("select pg_sleep(0.5)", 100, 500.0, null);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath c = card();
            assertThat(target(c, "error-rate")).containsEntry("verdict", "fail")
                    .containsEntry("runbook", "docs/runbooks.md#rb-23");
            assertThat((String) target(c, "error-rate").get("reason")).startsWith("10 errors in ");
            assertThat(target(c, "latency-p95")).containsEntry("verdict", "fail");
            assertThat(((Number) target(c, "latency-p95").get("value")).doubleValue()).isBetween(495.0, 505.0);
            assertThat(c.getList("failed", String.class)).contains("error-rate", "latency-p95");
            assertThat(c.getBoolean("passed")).isFalse();
        });
    }

    private static JsonPath card() {
        return given().when().get("/v1/validation?window=1m").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> target(JsonPath card, String id) {
        return card.getMap("targets.find { it.id == '" + id + "' }");
    }

    private static void report(String sql, int n, double ms, String error) {
        report("scorecard", sql, n, ms, error);
    }

    private static void reportTo(String database, String sql, int n, double ms) {
        report(database, sql, n, ms, null);
    }

    private static void report(String database, String sql, int n, double ms, String error) {
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add("{\"sql\": \"" + sql + "\", \"database\": \"" + database + "\", \"duration_ms\": " + ms
                    + (error == null ? "" : ", \"error\": \"" + error + "\"") + "}");
        }
        given().contentType("application/json").body("{\"samples\": [" + String.join(",", samples) + "]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
    }
}
