package io.sluice.querymonitor.snapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.testing.SluiceInfraResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** Against the harness's real pg_stat_statements. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class PgStatStatementsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    DatabasePools pools;
    @Inject
    StatementsSnapshotter snapshotter;
    @Inject
    FlushService flush;

    private Pool primary() {
        return pools.get("primary");
    }

    private void run(String sql) {
        primary().query(sql).execute().await().atMost(WAIT);
    }

    private String table() {
        String t = "wl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        run("CREATE TABLE " + t + " (id int, name text, price numeric, created date, flag boolean)");
        return t;
    }

    /** Statement templates: the workload varies literals, case, white space, comments and identifier quoting. */
    private static List<String> workload(String t, Random r) {
        int a = r.nextInt(1000);
        int b = r.nextInt(1000);
        String s = "n" + r.nextInt(50);
        return List.of(
                "SELECT * FROM " + t + " WHERE id = " + a,
                "select *   from " + t.toUpperCase() + "\n where ID = " + b,
                "SELECT * FROM " + t + " WHERE id = " + a + " -- comment " + b,
                "/* lead */ SELECT name FROM " + t + " WHERE name = '" + s + "'",
                "SELECT name FROM " + t + " WHERE name LIKE '" + s + "%'",
                "SELECT count(*) FROM " + t + " WHERE price > " + a + ".5",
                "SELECT id FROM " + t + " WHERE created = '2024-01-" + (10 + r.nextInt(18)) + "'::date",
                "SELECT id FROM " + t + " WHERE flag = " + r.nextBoolean(),
                "SELECT id FROM " + t + " WHERE id = -" + (a + 1),
                "SELECT id FROM " + t + " WHERE id = " + b,
                "SELECT id, name FROM " + t + " WHERE id IN (" + a + ", " + b + ", 7)",
                "SELECT id FROM " + t + " ORDER BY id LIMIT " + (a + 1) + " OFFSET " + b,
                "SELECT \"id\", \"name\" FROM \"" + t + "\" WHERE \"id\" = " + a,
                "SELECT id, name FROM " + t + " WHERE id = " + b,
                "UPDATE " + t + " SET price = price + " + a + " WHERE id = " + b,
                "INSERT INTO " + t + " (id, name, price) VALUES (" + a + ", '" + s + "', " + b + ".25)",
                "DELETE FROM " + t + " WHERE id = " + a + " AND name = '" + s + "'",
                "SELECT name FROM " + t + " WHERE id BETWEEN " + a + " AND " + (a + b),
                "SELECT $$dollar " + a + "$$ AS x, name FROM " + t + " WHERE id = " + b,
                "SELECT CAST('" + a + "' AS int) + id FROM " + t + " WHERE id < " + b,
                "select id from " + t + " where id = " + a + " and name = 'it''s " + s + "'",
                "SELECT x.id FROM " + t + " x JOIN " + t + " y ON y.id = x.id WHERE x.price < " + a,
                "SELECT id FROM " + t + " WHERE name = E'a\\nb" + a + "'",
                "SELECT coalesce(name, 'none') FROM " + t + " WHERE id = " + a);
    }

    private List<Row> statementsOf(String table) {
        List<Row> rows = new ArrayList<>();
        primary().preparedQuery("""
                SELECT queryid, query, calls FROM pg_stat_statements
                WHERE query ILIKE '%' || $1 || '%' AND query NOT ILIKE 'create%'""")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(table)).await().atMost(WAIT).forEach(rows::add);
        return rows;
    }

    @Test
    void aVariedWorkloadFormsTheSameGroupsAsPgStatStatements() {
        String t = table();
        Random random = new Random(11);
        Set<String> ourGroups = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            for (String sql : workload(t, random)) {
                run(sql);
                ourGroups.add(SqlNormalizer.fingerprint(sql));
            }
        }
        List<Row> rows = statementsOf(t);
        Map<Long, String> fingerprintOfQueryId = new HashMap<>();
        rows.forEach(r -> fingerprintOfQueryId.put(r.getLong("queryid"),
                SqlNormalizer.fingerprint(r.getString("query"))));
        // Same number of groups, and the pg_stat_statements texts fall into exactly our groups, one to one.
        assertThat(ourGroups).hasSize(fingerprintOfQueryId.size());
        assertThat(new HashSet<>(fingerprintOfQueryId.values())).isEqualTo(ourGroups);
        assertThat(ourGroups).hasSizeLessThan(workload(t, random).size()); // variants did fold
    }

    @Test
    void inListsOfDifferentLengthsAreTheOneIntendedDifference() {
        String t = table();
        run("SELECT id FROM " + t + " WHERE id IN (1, 2)");
        run("SELECT id FROM " + t + " WHERE id IN (1, 2, 3)");
        assertThat(statementsOf(t)).hasSize(2);
        assertThat(SqlNormalizer.fingerprint("SELECT id FROM " + t + " WHERE id IN (1, 2)"))
                .isEqualTo(SqlNormalizer.fingerprint("SELECT id FROM " + t + " WHERE id IN (1, 2, 3)"));
    }

    @Test
    void snapshotDeltasAreMergedByFingerprintAndAResetSkipsOneInterval() {
        String t = table();
        String sql = "SELECT name FROM " + t + " WHERE id = ";
        snapshotter.snapshot("primary").await().atMost(WAIT);
        for (int i = 0; i < 7; i++) {
            run(sql + i);
        }
        SnapshotStatus applied = snapshotter.snapshot("primary").await().atMost(WAIT);
        assertThat(applied.lastOutcome()).isEqualTo("applied");
        assertThat(applied.lastDeltas()).isPositive();

        run("SELECT pg_stat_statements_reset()");
        for (int i = 0; i < 3; i++) {
            run(sql + i);
        }
        SnapshotStatus skipped = snapshotter.snapshot("primary").await().atMost(WAIT);
        assertThat(skipped.lastOutcome()).startsWith("skipped").contains("reset");

        for (int i = 0; i < 4; i++) {
            run(sql + i);
        }
        assertThat(snapshotter.snapshot("primary").await().atMost(WAIT).lastOutcome()).isEqualTo("applied");
        flush.flush().await().atMost(WAIT);

        String fingerprint = SqlNormalizer.fingerprint(sql + "1");
        JsonPath json = given().queryParam("database", "primary").queryParam("window", "5m")
                .queryParam("limit", 500).when().get("/metrics/queries").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> mine = json.getList("queries.findAll { it.fingerprint == '" + fingerprint + "' }");
        assertThat(mine).hasSize(1);
        // 7 before the reset + 4 after the skipped interval; the 3 inside the skipped interval are not invented.
        assertThat(json.getLong("queries.find { it.fingerprint == '" + fingerprint + "' }.statements.calls"))
                .isEqualTo(11);
        assertThat(json.getString("queries.find { it.fingerprint == '" + fingerprint + "' }.sql"))
                .isEqualTo(SqlNormalizer.normalize(sql + "1"));
    }

    @Test
    void everyConfiguredDatabaseIsSnapshottedIncludingTheReplica() {
        List<SnapshotStatus> all = snapshotter.snapshotAll().await().atMost(WAIT);
        assertThat(all).extracting(SnapshotStatus::database).containsExactly("primary", "replica1");
        assertThat(all).allMatch(s -> s.reachable() && s.extensionPresent() && s.lastSnapshot() != null);
    }
}
