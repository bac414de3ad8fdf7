package io.sluice.querymonitor.explain;

import static io.restassured.RestAssured.given;
import static io.sluice.querymonitor.PrimaryWorkload.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.PrimaryWorkload;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.testing.SluiceInfraResource;

/**
 * Statements reported the way replica-router reports them: only the masked text ({@code ?} for every value), no
 * executable sample. EXPLAIN and index advice work from a generic plan of that text, on the real primary.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class MaskedExplainTest {

    @Inject
    DatabasePools pools;
    @Inject
    FlushService flush;

    private PrimaryWorkload db;

    @BeforeAll
    static void hypopg() {
        PrimaryWorkload.createHypopg();
    }

    @BeforeEach
    void workload() {
        db = new PrimaryWorkload(pools, flush);
    }

    private String messageTable(String prefix) {
        String t = PrimaryWorkload.table(prefix);
        db.run("CREATE TABLE " + t + " (id int, member_id int, \"note?\" text)");
        db.run("INSERT INTO " + t + " SELECT g, g % 5000, 'n' FROM generate_series(1, 200000) g");
        db.run("ANALYZE " + t);
        return t;
    }

    @Test
    void aRouterReportedSeqScanGetsAGenericPlanAVerifiedSuggestionAndAnEffectiveVerdict() {
        String t = messageTable("mr_");
        String masked = SqlNormalizer.normalize("select count(*) as received from " + t + " where member_id = $1");
        assertThat(masked).isEqualTo("select count(*) as received from " + t + " where member_id = ?");
        String fp = SqlNormalizer.fingerprint(masked);
        db.report(masked, "select count(*) as received from " + t + " where member_id = 42", 15, "replica-router");

        JsonPath explain = given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain").then().statusCode(200)
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
        given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain").then().statusCode(200)
                .body("summary.seqScans[0].relation", is(t));

        String id = given().contentType("application/json")
                .body("{\"index\": \"" + t + "_member_idx\", \"fingerprints\": [\"" + fp + "\"], \"min_calls\": 15}")
                .header("Authorization", "Bearer console-test-token").when().post("/v1/indexes/verifications").then().statusCode(201).extract().path("id");
        String create = (String) suggestion.get("createStatement");
        db.run(create.replace(" ON ", " \"" + t + "_member_idx\" ON "));
        db.run("ANALYZE " + t);
        db.report(masked, "select count(*) as received from " + t + " where member_id = 42", 15, "replica-router");
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/indexes/verifications/" + id)
                .then().statusCode(200).body("outcome", is("EFFECTIVE"))
                .body("fingerprints[0].after.calls", is(15)));
        // With the real index the generic plan no longer scans the table.
        JsonPath after = given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain").then().statusCode(200)
                .extract().jsonPath();
        assertThat(after.getList("summary.seqScans")).isEmpty();
        assertThat(after.getDouble("summary.totalCost")).isLessThan(explain.getDouble("summary.totalCost") * 0.5);
    }

    @Test
    void placeholdersPostgresCannotTypeAreAClear422AndAnalyzeIsRefused() {
        String t = PrimaryWorkload.table("ty_");
        db.run("CREATE TABLE " + t + " (id int, member_id int)");
        String untyped = "select count(*) from " + t + " where ? is null";
        db.report(untyped, "select count(*) from " + t + " where 1 is null", 1, "replica-router");
        given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + SqlNormalizer.fingerprint(untyped) + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-parameter-types-unknown"))
                .body("code", is("42P18"));
        // The advice skips it rather than failing.
        given().when().get("/v1/indexes/suggestions").then().statusCode(200);

        String typed = "select id from " + t + " where member_id = ?";
        db.report(typed, "select id from " + t + " where member_id = 1", 1, "replica-router");
        given().queryParam("analyze", "true").header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + SqlNormalizer.fingerprint(typed) + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-analyze-needs-values"));
        given().queryParam("analyze", "false").header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + SqlNormalizer.fingerprint(typed) + "/explain")
                .then().statusCode(200).body("genericPlan", is(true));
    }

    @Test
    void aQuestionMarkInsideAQuotedIdentifierIsNoPlaceholder() {
        String t = PrimaryWorkload.table("qi_");
        db.run("CREATE TABLE " + t + " (id int, \"note?\" text)");
        String masked = "select id from " + t + " where \"note?\" = ? and id = ?";
        assertThat(SqlNormalizer.normalize(masked)).isEqualTo(masked);
        db.report(masked, "select id from " + t + " where \"note?\" = 'a' and id = 1", 1, "replica-router");
        given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + SqlNormalizer.fingerprint(masked) + "/explain").then().statusCode(200)
                .body("genericPlan", is(true))
                .body("plan[0].Plan.Filter", is("((\"note?\" = $1) AND (id = $2))"));
        given().when().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "sluice_querymonitor_explains_total{outcome=\"ok\",plan=\"generic\"}"));
    }

    @Test
    void aFailedGenericPlanLeavesNoPreparedStatementAndTheTransactionUsable() {
        String t = PrimaryWorkload.table("tx_");
        db.run("CREATE TABLE " + t + " (id int)");
        Long left = db.primary().withConnection(conn -> conn.query("BEGIN READ ONLY").execute()
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
