package io.sluice.querymonitor.index;

import static io.restassured.RestAssured.given;
import static io.sluice.querymonitor.PrimaryWorkload.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.PrimaryWorkload;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** EXPLAIN, HypoPG-verified advice, the before/after verification and index hygiene, on the real primary. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class IndexAdviceTest {

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

    @Test
    void aSeqScanOver200kRowsGetsAVerifiedSuggestionAndTheIndexIsJudgedEffective() {
        String t = PrimaryWorkload.table("adv_");
        db.run("CREATE TABLE " + t + " (id int, customer int, amount numeric)");
        db.run("INSERT INTO " + t + " SELECT g, g % 5000, g FROM generate_series(1, 200000) g");
        db.run("ANALYZE " + t);
        String sql = "SELECT sum(amount) FROM " + t + " WHERE customer = 42";
        String fp = SqlNormalizer.fingerprint(sql);
        db.report(sql, sql, 15, null);

        JsonPath explain = given().queryParam("analyze", "true").header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain")
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
                .header("Authorization", "Bearer console-test-token").when().post("/v1/indexes/verifications").then().statusCode(201).extract().path("id");
        given().when().get("/v1/indexes/verifications/" + id).then().statusCode(200).body("outcome", is("PENDING"));

        db.run(create.replace(" ON ", " \"" + t + "_customer_idx\" ON "));
        db.run("ANALYZE " + t);
        db.report(sql, sql, 15, null);
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/v1/indexes/verifications/" + id)
                .then().statusCode(200).body("outcome", is("EFFECTIVE"))
                .body("fingerprints[0].after.calls", is(15)));
        // Now that an index leads with customer, it is not suggested again.
        assertThat(given().when().get("/v1/indexes/suggestions").then().statusCode(200).extract().jsonPath()
                .getList("suggestions.findAll { it.table == 'public." + t + "' }")).isEmpty();
    }

    @Test
    void anEqualityAndARangeGetAVerifiedTwoColumnIndexInThatOrder() {
        String t = PrimaryWorkload.table("mc_");
        db.run("CREATE TABLE " + t + " (id int, shop int, created_at timestamptz, amount numeric)");
        // 50 shops spread over every page; created_at follows the insert order (one row a minute from January 1).
        db.run("INSERT INTO " + t + " SELECT g, g % 50, timestamptz '2026-01-01' + g * interval '1 minute', g"
                + " FROM generate_series(1, 200000) g");
        db.run("ANALYZE " + t);
        String sql = "SELECT sum(amount) FROM " + t + " WHERE created_at >= '2026-05-01' AND shop = 7";
        String fp = SqlNormalizer.fingerprint(sql);
        db.report(sql, sql, 15, null);

        JsonPath advice = given().when().get("/v1/indexes/suggestions").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> forTable = advice.getList("suggestions.findAll { it.table == 'public." + t + "' }");
        Map<String, Object> pair = forTable.stream().filter(s -> s.get("columns").equals(List.of("shop", "created_at")))
                .findFirst().orElse(null);
        assertThat(pair).as("suggestions for %s: %s", t, forTable).isNotNull();
        assertThat(pair.get("verified")).isEqualTo(true);
        assertThat(pair.get("fingerprints")).isEqualTo(List.of(fp));
        assertThat(pair.get("createStatement"))
                .isEqualTo("CREATE INDEX CONCURRENTLY ON \"public\".\"" + t + "\" (\"shop\", \"created_at\")");
        assertThat(forTable).as("the shop index alone is a prefix of the pair and no better")
                .noneMatch(s -> s.get("columns").equals(List.of("shop")));

        // Once the pair exists it is not suggested again.
        db.run("CREATE INDEX ON " + t + " (shop, created_at)");
        List<Map<String, Object>> after = given().when().get("/v1/indexes/suggestions").then().statusCode(200)
                .extract().jsonPath().getList("suggestions.findAll { it.table == 'public." + t + "' }");
        assertThat(after).noneMatch(s -> s.get("columns").equals(List.of("shop", "created_at")));
    }

    @Test
    void analyzeIsRefusedForWritesAndBadInputIsNamed() {
        String t = PrimaryWorkload.table("w_");
        db.run("CREATE TABLE " + t + " (id int)");
        String sql = "UPDATE " + t + " SET id = 2 WHERE id = 1";
        db.report(sql, sql, 1, null);
        String fp = SqlNormalizer.fingerprint(sql);
        given().queryParam("analyze", "true").header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-analyze-not-read-only"));
        // Plain EXPLAIN of a write is fine: it does not run.
        given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain").then().statusCode(200).body("analyze", is(false));
        given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/ffffffffffffffff/explain").then().statusCode(404)
                .body("type", endsWith("/no-retained-sample"));
        given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/NOTAFINGERPRINT/explain").then().statusCode(400)
                .body("errors[0].field", is("fingerprint"));
        given().queryParam("analyze", "maybe").header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain").then().statusCode(400)
                .body("errors[0].field", is("analyze"));
        given().queryParam("database", "nope").header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + fp + "/explain").then().statusCode(400)
                .body("errors[0].field", is("database"));
        given().queryParam("database", "nope").when().get("/v1/indexes/suggestions").then().statusCode(400)
                .body("errors[0].field", is("database"));
        given().queryParam("window", "2d").when().get("/v1/indexes/suggestions").then().statusCode(400)
                .body("errors[0].field", is("window"));
        given().contentType("application/json").body("{\"fingerprints\": [\"" + fp + "\"]}")
                .header("Authorization", "Bearer console-test-token").when().post("/v1/indexes/verifications").then().statusCode(400).body("errors[0].field", is("index"));
        given().contentType("application/json").body("{\"index\": \"i\", \"fingerprints\": []}")
                .header("Authorization", "Bearer console-test-token").when().post("/v1/indexes/verifications").then().statusCode(400)
                .body("errors[0].field", is("fingerprints"));
        given().contentType("application/json").body("{\"index\": \"i\", \"fingerprints\": [\"" + fp + "\", \"x\"]}")
                .header("Authorization", "Bearer console-test-token").when().post("/v1/indexes/verifications").then().statusCode(400)
                .body("errors[0].field", is("fingerprints[1]"));
        given().contentType("application/json").body("{\"index\": \"i\", \"fingerprints\": [\"" + fp + "\"], \"min_calls\": 0}")
                .header("Authorization", "Bearer console-test-token").when().post("/v1/indexes/verifications").then().statusCode(400)
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
                .header("Authorization", "Bearer console-test-token").when().post("/v1/queries/samples").then().statusCode(202);
        flush.flush().await().atMost(WAIT);
        String body = given().header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + SqlNormalizer.fingerprint(sql) + "/explain")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/explain-failed"))
                .body("code", is("22P02"))
                .extract().asString();
        assertThat(body).doesNotContain(secret);
    }

    @Test
    void aStoppedReplicaIsAnsweredWith503AndReportedNotHidden() {
        String t = PrimaryWorkload.table("down_");
        db.run("CREATE TABLE " + t + " (id int)");
        String sql = "SELECT id FROM " + t + " WHERE id = 3";
        db.report(sql, sql, 1, null);
        var replica = SluiceInfra.get().replica();
        replica.stop();
        try {
            given().queryParam("database", "replica1").header("Authorization", "Bearer console-test-token").when().post("/v1/queries/" + SqlNormalizer.fingerprint(sql) + "/explain")
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
        String t = PrimaryWorkload.table("hyg_");
        db.run("CREATE TABLE " + t + " (a int, b int)");
        db.run("INSERT INTO " + t + " SELECT g, g FROM generate_series(1, 1000) g");
        db.run("CREATE INDEX " + t + "_a ON " + t + " (a)");
        db.run("CREATE INDEX " + t + "_b ON " + t + " (b)");
        db.run("CREATE INDEX " + t + "_b2 ON " + t + " (b)");
        db.run("ANALYZE " + t);
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
