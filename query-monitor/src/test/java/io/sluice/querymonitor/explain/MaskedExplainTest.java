package io.sluice.querymonitor.explain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Statements reported the way replica-router reports them: only the masked text ({@code ?} for every value), no
 * executable sample. EXPLAIN and index advice work from a generic plan of that text, on the real primary.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class MaskedExplainTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DatabasePools pools;
    @Inject
    FlushService flush;

    @BeforeAll
    static void hypopg() {
        SluiceInfra.get().primary().execute("CREATE EXTENSION IF NOT EXISTS hypopg");
    }

    private Pool primary() {
        return pools.get("primary");
    }

    private void run(String sql) {
        primary().query(sql).execute().await().atMost(WAIT);
    }

    private static String table(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** The router's report: the masked text, node primary, the time PostgreSQL took to run it with the value. */
    private void reportMasked(String masked, String withValue, int times) {
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            JsonArray plan = new JsonArray(primary().query("EXPLAIN (ANALYZE, FORMAT JSON) " + withValue).execute()
                    .await().atMost(WAIT).iterator().next().getValue(0).toString());
            double ms = plan.getJsonObject(0).getDouble("Execution Time");
            samples.add("{\"sql\": \"" + masked.replace("\"", "\\\"") + "\", \"node\": \"primary\", \"duration_ms\": "
                    + ms + ", \"rows\": 1, \"source\": \"replica-router\"}");
        }
        given().contentType("application/json").body("{\"samples\": [" + String.join(",", samples) + "]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        flush.flush().await().atMost(WAIT);
    }

    private String messageTable(String prefix) {
        String t = table(prefix);
        run("CREATE TABLE " + t + " (id int, member_id int, \"note?\" text)");
        run("INSERT INTO " + t + " SELECT g, g % 5000, 'n' FROM generate_series(1, 200000) g");
        run("ANALYZE " + t);
        return t;
    }

    @Test
    void aRouterReportedSeqScanGetsAGenericPlanAVerifiedSuggestionAndAnEffectiveVerdict() {
        String t = messageTable("mr_");
        String masked = SqlNormalizer.normalize("select count(*) as received from " + t + " where member_id = $1");
        assertThat(masked).isEqualTo("select count(*) as received from " + t + " where member_id = ?");
        String fp = SqlNormalizer.fingerprint(masked);
        reportMasked(masked, "select count(*) as received from " + t + " where member_id = 42", 15);

        JsonPath explain = given().when().post("/v1/queries/" + fp + "/explain").then().statusCode(200)
                .extract().jsonPath();
        assertThat(explain.getBoolean("genericPlan")).isTrue();
        assertThat(explain.getBoolean("analyze")).isFalse();
        assertThat(explain.getString("sql")).isEqualTo(masked);
        assertThat(explain.getString("summary.seqScans[0].relation")).isEqualTo(t);
        assertThat(explain.getDouble("summary.totalCost")).isPositive();
        assertThat(explain.getString("summary.mostExpensive.nodeType")).isEqualTo("Seq Scan");
        assertThat(explain.getString("plan[0].Plan.Plans[0].Filter")).isEqualTo("(member_id = $1)");

        JsonPath advice = given().when().get("/v1/indexes/suggestions").then().statusCode(200).extract().jsonPath();
        assertThat(advice.getBoolean("hypopg")).isTrue();
        Map<String, Object> suggestion = advice.getMap("suggestions.find { it.table == 'public." + t + "' }");
        assertThat(suggestion).isNotNull();
        assertThat(suggestion.get("columns")).isEqualTo(List.of("member_id"));
        assertThat(suggestion.get("verified")).isEqualTo(true);
        assertThat(suggestion.get("fingerprints")).isEqualTo(List.of(fp));
        assertThat(((Number) suggestion.get("costAfter")).doubleValue())
                .isLessThan(((Number) suggestion.get("costBefore")).doubleValue() * 0.5);
        // The hypothetical index is gone after the advice: the plan is the real one again.
        given().when().post("/v1/queries/" + fp + "/explain").then().statusCode(200)
                .body("summary.seqScans[0].relation", is(t));

        String id = given().contentType("application/json")
                .body("{\"index\": \"" + t + "_member_idx\", \"fingerprints\": [\"" + fp + "\"], \"min_calls\": 15}")
                .when().post("/v1/indexes/verifications").then().statusCode(201).extract().path("id");
        String create = (String) suggestion.get("createStatement");
        run(create.replace(" ON ", " \"" + t + "_member_idx\" ON "));
        run("ANALYZE " + t);
        reportMasked(masked, "select count(*) as received from " + t + " where member_id = 42", 15);
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/indexes/verifications/" + id)
                .then().statusCode(200).body("outcome", is("EFFECTIVE"))
                .body("fingerprints[0].after.calls", is(15)));
        // With the real index the generic plan no longer scans the table.
        JsonPath after = given().when().post("/v1/queries/" + fp + "/explain").then().statusCode(200)
                .extract().jsonPath();
        assertThat(after.getList("summary.seqScans")).isEmpty();
        assertThat(after.getDouble("summary.totalCost")).isLessThan(explain.getDouble("summary.totalCost") * 0.5);
    }

    @Test
    void placeholdersPostgresCannotTypeAreAClear422AndAnalyzeIsRefused() {
        String t = table("ty_");
        run("CREATE TABLE " + t + " (id int, member_id int)");
        String untyped = "select count(*) from " + t + " where ? is null";
        reportMasked(untyped, "select count(*) from " + t + " where 1 is null", 1);
        given().when().post("/v1/queries/" + SqlNormalizer.fingerprint(untyped) + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-parameter-types-unknown"))
                .body("code", is("42P18"));
        // The advice skips it rather than failing.
        given().when().get("/v1/indexes/suggestions").then().statusCode(200);

        String typed = "select id from " + t + " where member_id = ?";
        reportMasked(typed, "select id from " + t + " where member_id = 1", 1);
        given().queryParam("analyze", "true").when().post("/v1/queries/" + SqlNormalizer.fingerprint(typed) + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-analyze-needs-values"));
        given().queryParam("analyze", "false").when()
                .post("/v1/queries/" + SqlNormalizer.fingerprint(typed) + "/explain")
                .then().statusCode(200).body("genericPlan", is(true));
    }

    @Test
    void aQuestionMarkInsideAQuotedIdentifierIsNoPlaceholder() {
        String t = table("qi_");
        run("CREATE TABLE " + t + " (id int, \"note?\" text)");
        String masked = "select id from " + t + " where \"note?\" = ? and id = ?";
        assertThat(SqlNormalizer.normalize(masked)).isEqualTo(masked);
        reportMasked(masked, "select id from " + t + " where \"note?\" = 'a' and id = 1", 1);
        given().when().post("/v1/queries/" + SqlNormalizer.fingerprint(masked) + "/explain").then().statusCode(200)
                .body("genericPlan", is(true))
                .body("plan[0].Plan.Filter", is("((\"note?\" = $1) AND (id = $2))"));
        given().when().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "sluice_querymonitor_explains_total{outcome=\"ok\",plan=\"generic\"}"));
    }

    @Test
    void aFailedGenericPlanLeavesNoPreparedStatementAndTheTransactionUsable() {
        String t = table("tx_");
        run("CREATE TABLE " + t + " (id int)");
        Long left = primary().withConnection(conn -> conn.query("BEGIN READ ONLY").execute()
                .chain(() -> GenericPlan.explain(conn, MaskedStatement.of("select id from " + t + " where id = ?")))
                .chain(() -> GenericPlan.explain(conn, MaskedStatement.of("select id from " + t + " where ? is null"))
                        .onFailure(ProblemException.class).recoverWithNull())
                .chain(() -> conn.query("SELECT count(*) FROM pg_prepared_statements WHERE name = 'sluice_generic_plan'")
                        .execute())
                .map(rs -> rs.iterator().next().getLong(0))
                .call(() -> conn.query("ROLLBACK").execute()))
                .await().atMost(WAIT);
        assertThat(left).isZero();
    }
}
