package io.sluice.querymonitor.index;

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
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;
import io.vertx.mutiny.sqlclient.Pool;

/** EXPLAIN, HypoPG-verified advice, the before/after verification and index hygiene, on the real primary. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class IndexAdviceTest {

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

    /**
     * Runs the statement for real and reports it as the router would for the primary (raw SQL), with the execution
     * time PostgreSQL measured: a client-side stopwatch on this shared 2-core machine mostly measures scheduling.
     */
    private void runAndReport(String sql, int times) {
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            io.vertx.core.json.JsonArray plan = new io.vertx.core.json.JsonArray(primary()
                    .query("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).execute().await().atMost(WAIT)
                    .iterator().next().getValue(0).toString());
            double ms = plan.getJsonObject(0).getDouble("Execution Time");
            samples.add("{\"sql\": \"" + sql + "\", \"node\": \"primary\", \"duration_ms\": " + ms + ", \"rows\": 1}");
        }
        given().contentType("application/json").body("{\"samples\": [" + String.join(",", samples) + "]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        flush.flush().await().atMost(WAIT);
    }

    private static String table(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void aSeqScanOver200kRowsGetsAVerifiedSuggestionAndTheIndexIsJudgedEffective() {
        String t = table("adv_");
        run("CREATE TABLE " + t + " (id int, customer int, amount numeric)");
        run("INSERT INTO " + t + " SELECT g, g % 5000, g FROM generate_series(1, 200000) g");
        run("ANALYZE " + t);
        String sql = "SELECT sum(amount) FROM " + t + " WHERE customer = 42";
        String fp = SqlNormalizer.fingerprint(sql);
        runAndReport(sql, 15);

        JsonPath explain = given().queryParam("analyze", "true").when().post("/v1/queries/" + fp + "/explain")
                .then().statusCode(200).extract().jsonPath();
        assertThat(explain.getString("sql")).isEqualTo("select sum(amount) from " + t + " where customer = ?");
        assertThat(explain.getString("summary.seqScans[0].relation")).isEqualTo(t);
        assertThat(explain.getDouble("summary.executionTimeMs")).isPositive();
        assertThat(explain.getString("summary.mostExpensive.nodeType")).isNotBlank();
        assertThat(explain.getString("plan[0].Plan.'Node Type'")).isNotBlank();

        JsonPath advice = given().when().get("/v1/indexes/suggestions").then().statusCode(200).extract().jsonPath();
        assertThat(advice.getBoolean("hypopg")).isTrue();
        Map<String, Object> suggestion = advice.getMap("suggestions.find { it.table == 'public." + t + "' }");
        assertThat(suggestion).isNotNull();
        assertThat(suggestion.get("columns")).isEqualTo(List.of("customer"));
        assertThat(suggestion.get("verified")).isEqualTo(true);
        assertThat(suggestion.get("fingerprints")).isEqualTo(List.of(fp));
        assertThat(((Number) suggestion.get("costAfter")).doubleValue())
                .isLessThan(((Number) suggestion.get("costBefore")).doubleValue() * 0.5);
        String create = (String) suggestion.get("createStatement");
        assertThat(create).isEqualTo("CREATE INDEX CONCURRENTLY ON \"public\".\"" + t + "\" (\"customer\")");
        // amount is only summed, never filtered: no candidate for it.
        assertThat(advice.getList("suggestions.findAll { it.table == 'public." + t + "' }")).hasSize(1);

        String id = given().contentType("application/json")
                .body("{\"index\": \"" + t + "_customer_idx\", \"fingerprints\": [\"" + fp + "\"], \"min_calls\": 15}")
                .when().post("/v1/indexes/verifications").then().statusCode(201).extract().path("id");
        given().when().get("/v1/indexes/verifications/" + id).then().statusCode(200).body("outcome", is("PENDING"));

        run(create.replace(" ON ", " \"" + t + "_customer_idx\" ON "));
        run("ANALYZE " + t);
        runAndReport(sql, 15);
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/indexes/verifications/" + id)
                .then().statusCode(200).body("outcome", is("EFFECTIVE"))
                .body("fingerprints[0].after.calls", is(15)));
        // Now that an index leads with customer, it is not suggested again.
        assertThat(given().when().get("/v1/indexes/suggestions").then().statusCode(200).extract().jsonPath()
                .getList("suggestions.findAll { it.table == 'public." + t + "' }")).isEmpty();
    }

    @Test
    void analyzeIsRefusedForWritesAndBadInputIsNamed() {
        String t = table("w_");
        run("CREATE TABLE " + t + " (id int)");
        String sql = "UPDATE " + t + " SET id = 2 WHERE id = 1";
        runAndReport(sql, 1);
        String fp = SqlNormalizer.fingerprint(sql);
        given().queryParam("analyze", "true").when().post("/v1/queries/" + fp + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-analyze-not-read-only"));
        // Plain EXPLAIN of a write is fine: it does not run.
        given().when().post("/v1/queries/" + fp + "/explain").then().statusCode(200).body("analyze", is(false));
        given().when().post("/v1/queries/ffffffffffffffff/explain").then().statusCode(404)
                .body("type", endsWith("/no-retained-sample"));
        given().when().post("/v1/queries/NOTAFINGERPRINT/explain").then().statusCode(400)
                .body("errors[0].field", is("fingerprint"));
        given().queryParam("analyze", "maybe").when().post("/v1/queries/" + fp + "/explain").then().statusCode(400)
                .body("errors[0].field", is("analyze"));
        given().queryParam("database", "nope").when().post("/v1/queries/" + fp + "/explain").then().statusCode(400)
                .body("errors[0].field", is("database"));
        given().queryParam("database", "nope").when().get("/v1/indexes/suggestions").then().statusCode(400)
                .body("errors[0].field", is("database"));
        given().queryParam("window", "2d").when().get("/v1/indexes/suggestions").then().statusCode(400)
                .body("errors[0].field", is("window"));
        given().contentType("application/json").body("{\"fingerprints\": [\"" + fp + "\"]}")
                .when().post("/v1/indexes/verifications").then().statusCode(400).body("errors[0].field", is("index"));
        given().contentType("application/json").body("{\"index\": \"i\", \"fingerprints\": []}")
                .when().post("/v1/indexes/verifications").then().statusCode(400)
                .body("errors[0].field", is("fingerprints"));
        given().contentType("application/json").body("{\"index\": \"i\", \"fingerprints\": [\"" + fp + "\", \"x\"]}")
                .when().post("/v1/indexes/verifications").then().statusCode(400)
                .body("errors[0].field", is("fingerprints[1]"));
        given().contentType("application/json").body("{\"index\": \"i\", \"fingerprints\": [\"" + fp + "\"], \"min_calls\": 0}")
                .when().post("/v1/indexes/verifications").then().statusCode(400)
                .body("errors[0].field", is("min_calls"));
        given().when().get("/v1/indexes/verifications/" + UUID.randomUUID()).then().statusCode(404)
                .body("type", endsWith("/verification-not-found"));
        given().when().get("/v1/indexes/verifications/not-an-id").then().statusCode(400);
    }

    @Test
    void anExplainErrorNamesTheSqlstateButNeverAValue() {
        String secret = "secret" + UUID.randomUUID().toString().substring(0, 8);
        String sql = "SELECT 1 WHERE '" + secret + "'::int = 1";
        given().contentType("application/json")
                .body("{\"samples\": [{\"sql\": \"" + sql + "\", \"node\": \"primary\", \"duration_ms\": 1}]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        flush.flush().await().atMost(WAIT);
        String body = given().when().post("/v1/queries/" + SqlNormalizer.fingerprint(sql) + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-failed"))
                .body("code", is("22P02"))
                .extract().asString();
        assertThat(body).doesNotContain(secret);
    }

    @Test
    void aStoppedReplicaIsAnsweredWith503AndReportedNotHidden() {
        String t = table("down_");
        run("CREATE TABLE " + t + " (id int)");
        String sql = "SELECT id FROM " + t + " WHERE id = 3";
        runAndReport(sql, 1);
        var replica = SluiceInfra.get().replica();
        replica.stop();
        try {
            given().queryParam("database", "replica1").when()
                    .post("/v1/queries/" + SqlNormalizer.fingerprint(sql) + "/explain")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", endsWith("/database-unavailable"));
            given().when().get("/v1/indexes/unused").then().statusCode(200)
                    .body("complete", is(false))
                    .body("unreachableDatabases", org.hamcrest.Matchers.contains("replica1"));
            given().when().get("/q/health/ready").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("UNREACHABLE"));
        } finally {
            replica.start();
        }
    }

    @Test
    void unusedMeansUnusedOnPrimaryAndReplicasAndDuplicatesAreListed() {
        String t = table("hyg_");
        run("CREATE TABLE " + t + " (a int, b int)");
        run("INSERT INTO " + t + " SELECT g, g FROM generate_series(1, 1000) g");
        run("CREATE INDEX " + t + "_a ON " + t + " (a)");
        run("CREATE INDEX " + t + "_b ON " + t + " (b)");
        run("CREATE INDEX " + t + "_b2 ON " + t + " (b)");
        run("ANALYZE " + t);
        var infra = SluiceInfra.get();
        infra.awaitReplayed(infra.replica(), WAIT);
        // Only the replica ever reads through the index on a.
        pools.get("replica1").withConnection(c -> c.query("SET enable_seqscan = off").execute()
                .chain(() -> c.query("SELECT * FROM " + t + " WHERE a = 5").execute())).await().atMost(WAIT);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath report = given().when().get("/v1/indexes/unused").then().statusCode(200).extract().jsonPath();
            assertThat(report.getBoolean("complete")).isTrue();
            List<String> unused = report.getList("unused.index");
            assertThat(unused).contains(t + "_b", t + "_b2").doesNotContain(t + "_a");
            assertThat(report.getList("duplicates.find { it.table == '" + t + "' }.indexes"))
                    .containsExactly(t + "_b", t + "_b2");
        });
    }
}
