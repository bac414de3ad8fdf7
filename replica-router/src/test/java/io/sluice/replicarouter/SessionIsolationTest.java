package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.testing.PostgresNode;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * One request is one session: whatever a request does, the next request on the same pooled connection (two per
 * node here, so every connection is reused many times) sees the session as it was opened. Statements that exist
 * to change the session are refused with what to use instead; statements that may change it behind the text's
 * back (functions, triggers) are followed by a reset; batches that fail roll back. Checked in PostgreSQL itself.
 */
@QuarkusTest
@TestProfile(SessionIsolationTest.SmallPools.class)
@WithTestResource(SluiceInfraResource.class)
class SessionIsolationTest {

    /** Two connections per node, so the 200 requests after each case reuse the connection it ran on. */
    public static class SmallPools implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replica-router.pool.max-size", "2");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE = "SELECT current_setting('statement_timeout') AS timeout,"
            + " current_setting('search_path') AS path, current_user AS who,"
            + " current_setting('application_name') AS app,"
            + " (SELECT count(*) FROM pg_listening_channels()) AS listens,"
            + " (SELECT count(*) FROM pg_cursors WHERE name <> '') AS cursors,"
            + " (SELECT count(*) FROM pg_prepared_statements WHERE name NOT LIKE '%sluice%'"
            + "   AND from_sql) AS prepared,"
            + " (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()) AS temps,"
            + " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks";

    private static String table;

    @BeforeAll
    static void schema() {
        table = "iso_" + UUID.randomUUID().toString().replace("-", "");
        PostgresNode primary = SluiceInfra.get().primary();
        primary.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
        primary.execute("DO $$ BEGIN CREATE ROLE sluice_iso_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        primary.execute("""
                CREATE OR REPLACE FUNCTION sluice_iso_leave_state() RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM set_config('statement_timeout', '1234', false);
                  PERFORM set_config('search_path', 'pg_catalog', false);
                  RETURN 1;
                END $$""");
        primary.execute("""
                CREATE OR REPLACE FUNCTION sluice_iso_lock_and_temp() RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_advisory_lock(4242);
                  CREATE TEMP TABLE IF NOT EXISTS sluice_iso_tmp (a int);
                  RETURN 1;
                END $$""");
        primary.execute("""
                CREATE OR REPLACE FUNCTION sluice_iso_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM set_config('application_name', 'changed-by-trigger', false);
                  RETURN NEW;
                END $$""");
        primary.execute("CREATE TRIGGER sluice_iso_t BEFORE INSERT ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION sluice_iso_trigger()");
        SluiceInfra.get().awaitReplayed(SluiceInfra.get().replica(), java.time.Duration.ofSeconds(10));
    }

    /** Statements whose whole point is session state; none of them reaches a connection. */
    private static final List<String> SESSION_STATEMENTS = List.of("BEGIN",
            "START TRANSACTION ISOLATION LEVEL SERIALIZABLE", "COMMIT", "END", "ROLLBACK", "ABORT",
            "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "SET statement_timeout = 1",
            "SET SESSION statement_timeout = 1", "set search_path to pg_catalog", "SET TIME ZONE 'Europe/Paris'",
            "RESET ALL", "RESET statement_timeout", "SET ROLE sluice_iso_role",
            "SET SESSION AUTHORIZATION sluice_iso_role", "LISTEN somewhere", "UNLISTEN *", "PREPARE p AS SELECT 1",
            "EXECUTE p", "DEALLOCATE ALL", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "CREATE TEMP TABLE t_tmp (a int)", "CREATE TEMPORARY VIEW v_tmp AS SELECT 1", "SELECT 1 INTO TEMP t_into",
            "SELECT pg_advisory_lock(1)", "SELECT pg_try_advisory_lock_shared(1)",
            "SELECT set_config('statement_timeout', '1', false)", "DISCARD ALL", "LOAD 'auto_explain'",
            "/* a comment first */ begin");

    @Test
    void aStatementThatChangesTheSessionIsRefusedAloneAndInABatch() throws Exception {
        for (String statement : SESSION_STATEMENTS) {
            refused(single(statement), statement);
            refused(batch(List.of("SELECT 1", statement)), statement);
        }
        everyNextRequestSeesACleanSession();
    }

    @Test
    void aSavepointIsRefusedAloneButBelongsInABatch() throws Exception {
        for (String statement : List.of("SAVEPOINT a", "RELEASE SAVEPOINT a", "ROLLBACK TO SAVEPOINT a")) {
            refused(single(statement), statement);
            batch(List.of("SAVEPOINT a", "SELECT 1", statement)).then().statusCode(200);
        }
        everyNextRequestSeesACleanSession();
    }

    private static void refused(Response response, String statement) {
        assertThat(response.statusCode()).as("%s: %s", statement, response.body().asString()).isEqualTo(400);
        response.then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/session-state"))
                .body("detail", containsString("would outlive this request"));
    }

    @Test
    void theRefusalSaysWhatToUseInstead() throws Exception {
        refused(single("BEGIN"), "BEGIN");
        single("BEGIN").then().body("detail", containsString("\"queries\" batch"));
        single("SET statement_timeout = 5").then().body("detail", containsString("SET LOCAL"))
                .body("detail", containsString("Sluice-Statement-Timeout"));
        single("SELECT pg_advisory_lock(7)").then().body("detail", containsString("pg_advisory_xact_lock"));
        single("CREATE TEMP TABLE x (a int)").then().body("detail", containsString("ON COMMIT DROP"));
    }

    @Test
    void transactionScopedStateInsideABatchIsAllowedAndEndsWithIt() throws Exception {
        int id = 100;
        batch(List.of("SET LOCAL statement_timeout = 4321", "SELECT current_setting('statement_timeout') AS t",
                "CREATE TEMP TABLE batch_tmp (a int) ON COMMIT DROP", "INSERT INTO batch_tmp VALUES (1)",
                "SELECT set_config('search_path', 'pg_catalog, public', true)", "SAVEPOINT s",
                "INSERT INTO " + table + " VALUES (" + id + ", 'rolled back to savepoint')", "ROLLBACK TO SAVEPOINT s",
                "INSERT INTO " + table + " VALUES (" + (id + 1) + ", 'kept')", "SELECT pg_advisory_xact_lock(5)",
                "DECLARE c CURSOR FOR SELECT 1 AS one", "FETCH 1 FROM c"))
                .then().statusCode(200).body("results[1].rows[0].t", is("4321ms"))
                .body("results[11].rows[0].one", is("1"));
        assertThat(primary("SELECT string_agg(id::text, ',' ORDER BY id) FROM " + table + " WHERE id >= " + id))
                .isEqualTo(String.valueOf(id + 1));
        everyNextRequestSeesACleanSession();
    }

    @Test
    void stateLeftBehindTheTextsBackIsResetBeforeTheConnectionIsReused() throws Exception {
        // Functions that change settings, take a session lock, create a temp table; a trigger that changes one.
        single("SELECT sluice_iso_leave_state() AS done", "primary").then().statusCode(200);
        single("SELECT sluice_iso_leave_state() AS done").then().statusCode(200);
        single("SELECT sluice_iso_lock_and_temp() AS done", "primary").then().statusCode(200);
        single("INSERT INTO " + table + " VALUES (1, 'fires the trigger')").then().statusCode(200);
        batch(List.of("INSERT INTO " + table + " VALUES (2, 'in a batch')", "SELECT sluice_iso_leave_state()"))
                .then().statusCode(200);
        assertThat(primary("SELECT count(*) FROM " + table + " WHERE id IN (1, 2)")).isEqualTo("2");
        everyNextRequestSeesACleanSession();
    }

    @Test
    void aFailingBatchRollsBackAndLeavesNothingOpen() throws Exception {
        batch(List.of("INSERT INTO " + table + " VALUES (50, 'never committed')", "SELECT 1/0"))
                .then().statusCode(400).body("code", is("22012"));
        batch(List.of("INSERT INTO " + table + " VALUES (51, 'never committed')",
                "INSERT INTO " + table + " VALUES (51, 'duplicate')")).then().statusCode(400).body("code", is("23505"));
        single("SELECT pg_sleep(2)", "primary", "200ms").then().statusCode(400).body("code", is("57014"));
        assertThat(primary("SELECT count(*) FROM " + table + " WHERE id IN (50, 51)")).isEqualTo("0");
        everyNextRequestSeesACleanSession();
    }

    /** 200 unrelated requests on each node see the defaults, and no router connection is left in a transaction. */
    private static void everyNextRequestSeesACleanSession() throws Exception {
        for (int i = 0; i < 100; i++) {
            for (String route : new String[] { "primary", "replica" }) {
                Response r = single(STATE, route);
                r.then().statusCode(200);
                Map<String, Object> row = r.jsonPath().getMap("rows[0]");
                assertThat(row).as("request %d on the %s", i, route)
                        .containsEntry("timeout", "30s").containsEntry("path", "\"$user\", public")
                        .containsEntry("who", "postgres").containsEntry("app", "sluice-replica-router")
                        .containsEntry("listens", "0").containsEntry("cursors", "0")
                        .containsEntry("prepared", "0").containsEntry("temps", "0").containsEntry("locks", "0");
            }
        }
        for (PostgresNode node : List.of(SluiceInfra.get().primary(), SluiceInfra.get().replica())) {
            assertThat(node.queryValue("SELECT count(*) FROM pg_stat_activity WHERE application_name"
                    + " = 'sluice-replica-router' AND state LIKE 'idle in transaction%'")).as("%s", node)
                    .isEqualTo("0");
        }
    }

    private static String primary(String sql) {
        return SluiceInfra.get().primary().queryValue(sql);
    }

    static Response single(String sql) throws JsonProcessingException {
        return single(sql, null);
    }

    static Response single(String sql, String route) throws JsonProcessingException {
        return single(sql, route, null);
    }

    static Response single(String sql, String route, String timeout) throws JsonProcessingException {
        RequestSpecification request = given().contentType("application/json")
                .body(JSON.writeValueAsString(Map.of("query", sql)));
        if (route != null) {
            request.header("Sluice-Route", route);
        }
        if (timeout != null) {
            request.header("Sluice-Statement-Timeout", timeout);
        }
        return request.when().post("/sql");
    }

    static Response batch(List<String> statements) throws JsonProcessingException {
        List<Map<String, String>> queries = statements.stream().map(s -> Map.of("query", s)).toList();
        return given().contentType("application/json").body(JSON.writeValueAsString(Map.of("queries", queries)))
                .when().post("/sql");
    }
}
