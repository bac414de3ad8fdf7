package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** POST /v1/bulk against the real primary and replica: both modes, partial failure, limits, the pool, reads. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class BulkTest {

    private static final String STREAM = "sluice:replicarouter:{invalidations}";

    private final SluiceInfra infra = SluiceInfra.get();

    @Test
    void perChunkWrites100kRowsInChunksOnParallelConnections() {
        String t = table("n int, label text");
        Response r = bulk(insert(t), 100_000, i -> "[" + i + ", \"row " + i + "\"]",
                ", \"mode\": \"per_chunk\", \"parallelism\": 2");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getInt("rows")).isEqualTo(100_000);
        assertThat(r.jsonPath().getInt("chunks")).isEqualTo(100);
        assertThat(r.jsonPath().getLong("row_count")).isEqualTo(100_000);
        assertThat(r.jsonPath().getList("committed")).hasSize(100);
        assertThat(r.jsonPath().getList("failed")).isEmpty();
        assertThat(r.jsonPath().getBoolean("errors")).isFalse();
        assertThat(r.header("Sluice-Commit-Lsn")).isEqualTo(r.jsonPath().getString("commit_lsn")).isNotBlank();
        assertThat(count(t)).isEqualTo(100_000);
        assertThat(infra.primary().queryValue("SELECT count(DISTINCT n) || ':' || min(n) || ':' || max(n) FROM " + t))
                .isEqualTo("100000:0:99999");
    }

    @Test
    void atomicWrites100kRowsInOneTransaction() {
        String t = table("n int, label text");
        Response r = bulk(insert(t), 100_000, i -> "[" + i + ", null]", ", \"mode\": \"atomic\"");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getList("committed")).hasSize(100);
        // One transaction: every chunk reports the same commit.
        assertThat(r.jsonPath().getList("committed.commit_lsn", String.class)).containsOnly(
                r.jsonPath().getString("commit_lsn"));
        assertThat(count(t)).isEqualTo(100_000);
    }

    @Test
    void perChunkCommitsTheOtherNineChunksAndNamesTheFailedRange() {
        String t = table("n int CHECK (n >= 0)");
        long streamBefore = Long.parseLong(infra.redis().command("XLEN", STREAM));
        double failedRows = MetricsScrape.value("sluice_replicarouter_bulk_rows_total{outcome=\"failed\"}");
        Response r = bulk(insert1(t), 1000, i -> i == 650 ? "[-1]" : "[" + i + "]",
                ", \"mode\": \"per_chunk\", \"chunk_size\": 100, \"parallelism\": 2");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getBoolean("errors")).isTrue();
        assertThat(r.jsonPath().getList("committed.chunk", Integer.class)).containsExactly(0, 1, 2, 3, 4, 5, 7, 8, 9);
        assertThat(r.jsonPath().getInt("failed[0].chunk")).isEqualTo(6);
        assertThat(r.jsonPath().getInt("failed[0].first_row")).isEqualTo(600);
        assertThat(r.jsonPath().getInt("failed[0].last_row")).isEqualTo(699);
        assertThat(r.jsonPath().getString("failed[0].code")).isEqualTo("23514");
        assertThat(r.jsonPath().getString("failed[0].message")).contains("check constraint");
        assertThat(count(t)).isEqualTo(900);
        assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t + " WHERE n BETWEEN 600 AND 699"))
                .isEqualTo("0");
        // Every committed chunk told cache-service; the failed one did not.
        assertThat(Long.parseLong(infra.redis().command("XLEN", STREAM)) - streamBefore).isEqualTo(9);
        assertThat(MetricsScrape.value("sluice_replicarouter_bulk_rows_total{outcome=\"failed\"}") - failedRows)
                .isEqualTo(100.0);
    }

    @Test
    void atomicRollsBackEverythingAndNamesTheFailedRange() {
        String t = table("n int CHECK (n >= 0)");
        Response r = bulk(insert1(t), 1000, i -> i == 650 ? "[-1]" : "[" + i + "]",
                ", \"mode\": \"atomic\", \"chunk_size\": 100");
        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("type")).endsWith("bulk-rolled-back");
        assertThat(r.jsonPath().getString("code")).isEqualTo("23514");
        assertThat(r.jsonPath().getString("detail")).contains("chunk 6 (rows 600-699)").contains("no row was written");
        assertThat(count(t)).isZero();
    }

    @Test
    void aStatementTimeoutFailsTheChunkThatRanTooLong() {
        String t = table("n int");
        String slow = "INSERT INTO " + t + " SELECT $1::int FROM pg_sleep(CASE WHEN $1::int = 3 THEN 2 ELSE 0 END)";
        Response r = given().contentType("application/json").header("Sluice-Statement-Timeout", "500ms")
                .body(body(slow, 4, i -> "[" + i + "]", ", \"mode\": \"per_chunk\", \"chunk_size\": 2"))
                .post("/v1/bulk");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getString("failed[0].code")).isEqualTo("57014");
        assertThat(r.jsonPath().getInt("failed[0].first_row")).isEqualTo(2);
        assertThat(count(t)).isEqualTo(2);
    }

    @Test
    void parallelChunksLeaveThePoolToSingleStatements() throws Exception {
        String t = table("n int, pad text");
        CompletableFuture<Response> big = CompletableFuture.supplyAsync(() -> bulk(insert(t), 200_000,
                i -> "[" + i + ", \"" + "x".repeat(40) + "\"]",
                ", \"mode\": \"per_chunk\", \"chunk_size\": 500, \"parallelism\": 4"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> Long.parseLong(infra.primary().queryValue("SELECT count(*) FROM " + t)) > 0);
        List<Integer> statuses = new ArrayList<>();
        int beforeBulkEnded = 0;
        for (int i = 0; i < 20; i++) {
            Response single = given().contentType("application/json").header("Sluice-Route", "primary")
                    .body("{\"query\": \"SELECT 1 AS one\"}").post("/sql");
            statuses.add(single.statusCode());
            if (!big.isDone()) {
                beforeBulkEnded++;
            }
        }
        assertThat(statuses).containsOnly(200);
        assertThat(beforeBulkEnded).as("single statements answered while the bulk was still running")
                .isGreaterThanOrEqualTo(10);
        Response r = big.get();
        r.then().statusCode(200);
        assertThat(count(t)).isEqualTo(200_000);
    }

    @Test
    void aBulkReadLooksUpKeysOnAReplicaInInputOrder() {
        String t = table("id int PRIMARY KEY, name text");
        bulk(insert(t), 50, i -> "[" + i + ", \"name " + i + "\"]", "").then().statusCode(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        double replicaReads = MetricsScrape.value(
                "sluice_replicarouter_routed_total{reason=\"read\",target=\"replica\"}");
        Response r = bulk("SELECT id, name FROM " + t + " WHERE id = $1", 5,
                i -> "[" + new int[] { 42, 7, 999, 0, 13 }[i] + "]", ", \"chunk_size\": 2, \"parallelism\": 2");
        r.then().statusCode(200);
        assertThat(r.jsonPath().getList("rows.id", String.class)).containsExactly("42", "7", "0", "13");
        assertThat(r.jsonPath().getList("rows.name", String.class)).first().isEqualTo("name 42");
        assertThat(r.jsonPath().getInt("rowCount")).isEqualTo(4);
        assertThat(MetricsScrape.value("sluice_replicarouter_routed_total{reason=\"read\",target=\"replica\"}")
                - replicaReads).isEqualTo(3.0);
    }

    @Test
    void tooManyConcurrentBulksGet429WithRetryAfter() throws Exception {
        String t = table("n int");
        String slow = "INSERT INTO " + t + " SELECT $1::int FROM pg_sleep(1)";
        List<CompletableFuture<Response>> running = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            running.add(CompletableFuture.supplyAsync(() -> bulk(slow, 4, i -> "[" + i + "]",
                    ", \"mode\": \"per_chunk\", \"chunk_size\": 1")));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Long.parseLong(
                infra.primary().queryValue("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO "
                        + t + "%' AND state = 'active'")) == 2);
        Response third = bulk(slow, 1, i -> "[" + i + "]", "");
        third.then().statusCode(429).contentType("application/problem+json").header("Retry-After", "1");
        assertThat(third.jsonPath().getString("type")).endsWith("bulk-busy");
        for (var f : running) {
            f.get().then().statusCode(200);
        }
        assertThat(count(t)).isEqualTo(8);
    }

    @Test
    void everyBadInputIsA4xxAndWritesNothing() {
        String t = table("n int");
        String ok = insert1(t);
        expect400("{\"rows\": [[1]]}", "query");
        expect400("{\"query\": \"  \", \"rows\": [[1]]}", "query");
        expect400("{\"query\": \"" + ok + "\"}", "rows");
        expect400("{\"query\": \"" + ok + "\", \"rows\": []}", "rows");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1], [1, 2]]}", "rows[1]");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1], null]}", "rows[1]");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[{\"a\": 1}]]}", "rows[0][0]");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"chunk_size\": 0}", "chunk_size");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"chunk_size\": 10001}", "chunk_size");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"parallelism\": 0}", "parallelism");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"parallelism\": 5, \"mode\": \"per_chunk\"}",
                "parallelism");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"parallelism\": 2}", "parallelism");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"mode\": \"sometimes\"}", "mode");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"isolation\": \"chaos\"}", "isolation");
        expect400("{\"query\": \"" + ok + "; DELETE FROM " + t + "\", \"rows\": [[1]]}", "one statement");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1, 2]]}", "takes 1 parameters");
        expect400("{\"query\": \"" + ok + "\", \"rows\": [[1]], \"chunk_size\": \"big\"}", null);
        expect400("{\"query\": ", null);
        StringBuilder tooMany = new StringBuilder("{\"query\": \"" + ok + "\", \"rows\": [");
        for (int i = 0; i <= 200_000; i++) {
            tooMany.append(i == 0 ? "[1]" : ",[1]");
        }
        expect400(tooMany.append("]}").toString(), "rows");
        Response syntax = given().contentType("application/json")
                .body("{\"query\": \"INSERT INTO nowhere_" + t + " VALUES ($1)\", \"rows\": [[1]]}").post("/v1/bulk");
        syntax.then().statusCode(400).contentType("application/problem+json");
        assertThat(syntax.jsonPath().getString("code")).isEqualTo("42P01");
        given().contentType("application/json").header("Sluice-Statement-Timeout", "forever")
                .body("{\"query\": \"" + ok + "\", \"rows\": [[1]]}").post("/v1/bulk")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").header("Sluice-Route", "sideways")
                .body("{\"query\": \"" + ok + "\", \"rows\": [[1]]}").post("/v1/bulk")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("text/plain").body("n").post("/v1/bulk")
                .then().statusCode(415).contentType("application/problem+json");
        assertThat(count(t)).isZero();
    }

    @Test
    void postSqlKeepsItsOwnSmallerBodyLimit() {
        String big = "x".repeat(1_100_000);
        given().contentType("application/json").body("{\"query\": \"SELECT '" + big + "'\"}").post("/sql")
                .then().statusCode(413).contentType("application/problem+json");
    }

    private static void expect400(String body, String mention) {
        Response r = given().contentType("application/json").body(body).post("/v1/bulk");
        r.then().statusCode(400).contentType("application/problem+json");
        if (mention != null) {
            assertThat(r.jsonPath().getString("detail")).contains(mention);
        }
    }

    private static Response bulk(String query, int rows, IntFunction<String> row, String extra) {
        return given().contentType("application/json").body(body(query, rows, row, extra)).post("/v1/bulk");
    }

    private static String body(String query, int rows, IntFunction<String> row, String extra) {
        StringBuilder b = new StringBuilder(rows * 16).append("{\"query\": \"").append(query.replace("\"", "\\\""))
                .append("\", \"rows\": [");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "" : ",").append(row.apply(i));
        }
        return b.append("]").append(extra).append("}").toString();
    }

    private String table(String columns) {
        String t = "bulk_" + UUID.randomUUID().toString().replace("-", "");
        infra.primary().execute("CREATE TABLE " + t + " (" + columns + ")");
        return t;
    }

    private static String insert(String t) {
        return "INSERT INTO " + t + " VALUES ($1, $2)";
    }

    private static String insert1(String t) {
        return "INSERT INTO " + t + " VALUES ($1)";
    }

    private long count(String t) {
        return Long.parseLong(infra.primary().queryValue("SELECT count(*) FROM " + t));
    }
}
