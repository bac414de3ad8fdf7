package io.sluice.querymonitor;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.testing.SluiceInfra;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;

/** Tables and reported executions on the real primary, for the EXPLAIN and index-advice tests. */
public final class PrimaryWorkload {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private final Pool primary;
    private final FlushService flush;

    public PrimaryWorkload(DatabasePools pools, FlushService flush) {
        this.primary = pools.get("primary");
        this.flush = flush;
    }

    public static void createHypopg() {
        SluiceInfra.get().primary().execute("CREATE EXTENSION IF NOT EXISTS hypopg");
    }

    /** A fresh table name. */
    public static String table(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public Pool primary() {
        return primary;
    }

    public void run(String sql) {
        primary.query(sql).execute().await().atMost(WAIT);
    }

    /**
     * Runs {@code executed} {@code times} and reports {@code reported} for the primary as a client would (raw SQL, or
     * the masked text with {@code source} replica-router), with the execution time PostgreSQL measured: a
     * client-side stopwatch on this shared 2-core machine mostly measures scheduling. Then flushes the aggregates.
     */
    public void report(String reported, String executed, int times, String source) {
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            JsonArray plan = new JsonArray(primary.query("EXPLAIN (ANALYZE, FORMAT JSON) " + executed).execute()
                    .await().atMost(WAIT).iterator().next().getValue(0).toString());
            double ms = plan.getJsonObject(0).getDouble("Execution Time");
            samples.add("{\"sql\": \"" + reported.replace("\"", "\\\"") + "\", \"node\": \"primary\", \"duration_ms\": "
                    + ms + ", \"rows\": 1" + (source == null ? "" : ", \"source\": \"" + source + "\"") + "}");
        }
        given().contentType("application/json").body("{\"samples\": [" + String.join(",", samples) + "]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        flush.flush().await().atMost(WAIT);
    }
}
