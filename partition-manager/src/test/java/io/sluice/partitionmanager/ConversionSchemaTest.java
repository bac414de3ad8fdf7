package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testing.SluiceInfraResource;

/**
 * Conversions of tables shaped like real ones: everything around the rows must come across (or be refused, or be
 * listed for acceptance), and the application must see the same behaviour afterwards.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class ConversionSchemaTest extends AsOperator {

    /**
     * The tests that change something while a conversion copies need their first request answered fast: the very
     * first one of a JVM also loads rest-assured (seconds on a busy machine), long enough for a small copy to end.
     */
    @BeforeEach
    void warmUp() {
        given().when().get("/v1/conversions?limit=1").then().statusCode(200);
    }

    @AfterEach
    void cleanUp() {
        Pg.forgetAllSets();
    }

    private static String start(String body) {
        return given().contentType("application/json").body(body).when().post("/v1/conversions").then()
                .statusCode(202).extract().jsonPath().getString("id");
    }

    private static JsonPath awaitFinished(String id) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String phase = ConversionTest.status(id).getString("phase");
            return phase.equals("DONE") || phase.equals("FAILED");
        });
        return ConversionTest.status(id);
    }

    /** Until the copy has begun (and, throttled as these tests are, is far from over). */
    private static void awaitCopying(String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> ConversionTest.status(id).getLong("copiedRows") > 0);
    }

    /** The SQLSTATE a statement fails with, or null when it succeeds. */
    private static String failure(Connection c, String sql) {
        try (var st = c.createStatement()) {
            st.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static void assertSameRows(String table, String reference) {
        assertThat(Pg.count("SELECT count(*) FROM (SELECT * FROM " + table + " EXCEPT ALL SELECT * FROM " + reference
                + ") x")).isZero();
        assertThat(Pg.count("SELECT count(*) FROM (SELECT * FROM " + reference + " EXCEPT ALL SELECT * FROM " + table
                + ") x")).isZero();
    }

    /** Inserts (identity ids), updates and deletes orders, and the same change to the plain reference copy. */
    static final class OrderWriter implements Runnable {
        final String t;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong ops = new AtomicLong();
        final AtomicLong inserts = new AtomicLong();
        volatile Throwable failure;

        OrderWriter(String t) {
            this.t = t;
        }

        @Override
        public void run() {
            try (Connection c = Pg.primary().connect()) {
                c.setAutoCommit(false);
                var random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    long id = 1 + random.nextInt(20_000);
                    try (var st = c.createStatement()) {
                        switch (random.nextInt(3)) {
                            case 0 -> {
                                try (var rs = st.executeQuery("INSERT INTO " + t + " (created_at, customer_id, region, "
                                        + "email, amount) VALUES (timestamptz '2026-06-01 00:00+00' + " + random.nextInt(150)
                                        + " * interval '1 day', " + (1 + random.nextInt(100)) + ", 'us', 'new@x.test', 7)"
                                        + " RETURNING id")) {
                                    rs.next();
                                    st.execute("INSERT INTO " + t + "_ref SELECT * FROM " + t + " WHERE id = " + rs.getLong(1));
                                }
                                inserts.incrementAndGet();
                            }
                            case 1 -> {
                                // The partition key stays: on a partitioned table an UPDATE moving a row to another
                                // partition fires its INSERT triggers (PostgreSQL's rule), which the audit would count.
                                st.execute("UPDATE " + t + " SET amount = amount + 1, region = 'eu' WHERE id = " + id);
                                st.execute("UPDATE " + t + "_ref SET amount = amount + 1, region = 'eu' WHERE id = " + id);
                            }
                            default -> {
                                // Orders with notes (id % 100 = 0) stay: the notes' key into them must hold.
                                if (id % 100 != 0) {
                                    st.execute("DELETE FROM " + t + " WHERE id = " + id);
                                    st.execute("DELETE FROM " + t + "_ref WHERE id = " + id);
                                }
                            }
                        }
                    }
                    c.commit();
                    ops.incrementAndGet();
                }
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    @Test
    void aRealisticTableKeepsItsIndexesKeysGrantsTriggerPolicyAndCommentsUnderConcurrentWrites() throws Exception {
        String u = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String t = "orders_" + u;
        String reader = "reader_" + u;
        Pg.exec("CREATE ROLE " + reader + " NOLOGIN");
        Pg.exec("CREATE TABLE cust_" + u + " (id bigint PRIMARY KEY, name text NOT NULL)");
        Pg.exec("INSERT INTO cust_" + u + " SELECT g, 'c' || g FROM generate_series(1, 100) g");
        Pg.exec("CREATE TABLE " + t + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " created_at timestamptz NOT NULL DEFAULT now(), customer_id bigint NOT NULL REFERENCES cust_" + u
                + " (id), region text NOT NULL DEFAULT 'eu' CHECK (region IN ('eu', 'us')), email text,"
                + " amount numeric(10,2) NOT NULL CHECK (amount >= 0), UNIQUE (id, created_at))");
        Pg.exec("CREATE INDEX " + t + "_big ON " + t + " (customer_id) WHERE amount > 500");
        Pg.exec("CREATE INDEX " + t + "_email ON " + t + " (lower(email))");
        Pg.exec("ALTER TABLE " + t + " ALTER COLUMN customer_id SET STATISTICS 500");
        Pg.exec("CREATE TABLE notes_" + u + " (id bigserial PRIMARY KEY, order_id bigint NOT NULL, order_at timestamptz"
                + " NOT NULL, body text, FOREIGN KEY (order_id, order_at) REFERENCES " + t + " (id, created_at))");
        Pg.exec("CREATE TABLE audit_" + u + " (order_id bigint, op text)");
        Pg.exec("CREATE FUNCTION audit_" + u + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit_" + u
                + " VALUES (NEW.id, TG_OP); RETURN NULL; END $$");
        Pg.exec("CREATE TRIGGER " + t + "_audit AFTER INSERT ON " + t + " FOR EACH ROW EXECUTE FUNCTION audit_" + u + "()");
        Pg.exec("ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY");
        Pg.exec("CREATE POLICY eu_only ON " + t + " FOR SELECT TO " + reader + " USING (region = 'eu')");
        Pg.exec("GRANT SELECT ON " + t + " TO " + reader);
        Pg.exec("COMMENT ON TABLE " + t + " IS 'Customer orders'");
        Pg.exec("COMMENT ON COLUMN " + t + ".amount IS 'in EUR'");
        Pg.exec("COMMENT ON INDEX " + t + "_email IS 'lookups by e-mail'");
        Pg.exec("INSERT INTO " + t + " (created_at, customer_id, region, email, amount) SELECT timestamptz "
                + "'2026-01-01 00:00+00' + (g % 300) * interval '1 day', 1 + g % 100, CASE WHEN g % 3 = 0 THEN 'us' "
                + "ELSE 'eu' END, 'u' || g || '@x.test', g % 1000 FROM generate_series(1, 20000) g");
        Pg.exec("INSERT INTO notes_" + u + " (order_id, order_at, body) SELECT id, created_at, 'n' FROM " + t
                + " WHERE id % 100 = 0");
        Pg.exec("CREATE TABLE " + t + "_ref AS SELECT * FROM " + t);
        long audited = Pg.count("SELECT count(*) FROM audit_" + u);

        var writer = new OrderWriter(t);
        var thread = new Thread(writer, "conversion-schema-writer");
        thread.start();
        JsonPath done;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.ops.get() > 50);
            String id = start("{\"table\": \"" + t + "\", \"column\": \"created_at\", \"interval\": \"monthly\","
                    + " \"batchSize\": 1000, \"throttleMs\": 20, \"accept\": [\"primary-key:" + t + "_pkey\"]}");
            done = awaitFinished(id);
            long after = writer.ops.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.ops.get() > after + 30);
        } finally {
            writer.stop.set(true);
            thread.join(30_000);
        }
        assertThat(writer.failure).isNull();
        assertThat(done.getString("phase")).as(done.getString("error")).isEqualTo("DONE");
        assertThat(done.getBoolean("equivalence.passed")).isTrue();
        assertThat(done.getList("equivalence.differences")).isEmpty();
        assertThat(done.getInt("equivalence.compared")).isGreaterThan(25);
        assertThat(done.getLong("swap.lockMs")).isNotNegative();
        assertThat(Pg.primary().queryValue("SELECT relkind::text FROM pg_class WHERE oid = ?::regclass", "public." + t))
                .isEqualTo("p");
        assertSameRows(t, t + "_ref");

        try (Connection c = Pg.primary().connect()) {
            // Identity: the sequence went on from where the old table's stood, and stays GENERATED ALWAYS.
            long maxBefore = Pg.count("SELECT max(id) FROM " + t + "_ref");
            long newId = Long.parseLong(Pg.primary().queryValue("INSERT INTO " + t + " (customer_id, amount) VALUES (1, 3)"
                    + " RETURNING id"));
            assertThat(newId).isGreaterThan(maxBefore);
            assertThat(Pg.primary().queryValue("SELECT pg_get_serial_sequence(?, 'id')", "public." + t))
                    .isEqualTo("public." + t + "_id_seq");
            assertThat(failure(c, "INSERT INTO " + t + " (id, customer_id, amount) VALUES (1, 1, 1)")).isEqualTo("428C9");
            // Foreign keys: the outgoing one still checks customers; the notes' key now points at the new table.
            assertThat(failure(c, "INSERT INTO " + t + " (customer_id, amount) VALUES (999999, 1)")).isEqualTo("23503");
            assertThat(failure(c, "INSERT INTO notes_" + u + " (order_id, order_at) VALUES (-1, now())")).isEqualTo("23503");
            assertThat(failure(c, "DELETE FROM " + t + " WHERE id = 100")).isEqualTo("23503");
            // A customer whose orders are gone can go, though the old table still holds them (its keys were dropped).
            assertThat(failure(c, "DELETE FROM " + t + " WHERE customer_id = 100")).isNull();
            assertThat(failure(c, "DELETE FROM cust_" + u + " WHERE id = 100")).isNull();
            assertThat(Pg.count("SELECT count(*) FROM " + t + "_unpartitioned WHERE customer_id = 100")).isPositive();
            assertThat(Pg.primary().queryValue("SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = "
                    + "?::regclass AND contype = 'f' AND conparentid = 0", "public.notes_" + u)).isEqualTo(t);
            // The trigger fires on the new table, and fired for no copied or replayed row.
            assertThat(Pg.count("SELECT count(*) FROM audit_" + u + " WHERE order_id = ?", newId)).isEqualTo(1);
            assertThat(Pg.count("SELECT count(*) FROM audit_" + u)).isEqualTo(audited + writer.inserts.get() + 1);
            // The grantee reads, through the policy: European orders only; it may not write.
            long eu = Pg.count("SELECT count(*) FROM " + t + " WHERE region = 'eu'");
            try (var st = c.createStatement()) {
                st.execute("SET ROLE " + reader);
                try (var rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE region = 'us') FROM " + t)) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(eu).isPositive();
                    assertThat(rs.getLong(2)).isZero();
                }
                assertThat(failure(c, "INSERT INTO " + t + " (customer_id, amount) VALUES (1, 1)")).isEqualTo("42501");
                st.execute("RESET ROLE");
            }
        }
        assertThat(Pg.primary().queryValue("SELECT obj_description(?::regclass, 'pg_class')", "public." + t))
                .isEqualTo("Customer orders");
        assertThat(Pg.primary().queryValue("SELECT col_description(?::regclass, 6)", "public." + t)).isEqualTo("in EUR");
        assertThat(Pg.primary().queryValue("SELECT obj_description(?::regclass, 'pg_class')", "public." + t + "_email"))
                .isEqualTo("lookups by e-mail");
        assertThat(Pg.primary().query("SELECT indexdef FROM pg_indexes WHERE tablename = ?", t).stream()
                .map(r -> (String) r.get("indexdef")).toList())
                .anySatisfy(d -> assertThat(d).contains(t + "_big").endsWith("WHERE (amount > (500)::numeric)"))
                .anySatisfy(d -> assertThat(d).contains(t + "_email").contains("(lower(email))"));
        assertThat(Pg.primary().queryValue("SELECT attstattarget FROM pg_attribute WHERE attrelid = ?::regclass AND "
                + "attname = 'customer_id'", "public." + t)).isEqualTo("500");
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("sluice_partitionmanager_conversion_swap_lock_seconds_count"))
                .body(containsString("sluice_partitionmanager_conversion_swap_lock_wait_seconds_max"))
                .body(containsString("sluice_partitionmanager_conversion_replayed_changes_total"))
                .body(containsString("sluice_partitionmanager_conversion_swap_attempts_total{outcome=\"swapped\"}"));
        // The old table is kept, and no key points at it any more.
        assertThat(Pg.count("SELECT count(*) FROM pg_constraint WHERE confrelid = ?::regclass", "public." + t
                + "_unpartitioned")).isZero();
    }

    @Test
    void aCompositeKeyAndMixedCaseNamesAreConverted() {
        String schema = "Sales_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String t = "\"" + schema + "\".\"Order Lines\"";
        Pg.exec("CREATE SCHEMA \"" + schema + "\"");
        Pg.exec("CREATE TABLE " + t + " (\"Tenant\" text NOT NULL, \"Id\" bigint NOT NULL, \"CreatedAt\" date NOT NULL,"
                + " \"Qty\" int, PRIMARY KEY (\"Tenant\", \"Id\"))");
        Pg.exec("INSERT INTO " + t + " SELECT 't' || (g % 5), g / 5, date '2026-01-01' + g % 280, g FROM "
                + "generate_series(1, 6000) g");
        Pg.exec("CREATE TABLE \"" + schema + "\".ref AS SELECT * FROM " + t);
        String id = start("{\"table\": \"" + schema + ".Order Lines\", \"column\": \"CreatedAt\", \"interval\": \"monthly\","
                + " \"batchSize\": 200, \"throttleMs\": 50, \"accept\": [\"primary-key:Order Lines_pkey\"]}");
        awaitCopying(id);
        // Changes during the copy, to rows already copied and not yet: the log keeps both key columns.
        for (String sql : List.of("UPDATE %s SET \"Qty\" = -\"Qty\" WHERE \"Id\" %% 7 = 0",
                "DELETE FROM %s WHERE \"Tenant\" = 't3' AND \"Id\" < 300",
                "INSERT INTO %s VALUES ('t9', 1, date '2026-07-04', 1), ('t0', 99999, date '2026-02-02', 2)")) {
            Pg.exec(sql.formatted(t));
            Pg.exec(sql.formatted("\"" + schema + "\".ref"));
        }
        JsonPath done = awaitFinished(id);
        assertThat(done.getString("phase")).as(done.getString("error")).isEqualTo("DONE");
        assertThat(done.getList("keyColumns")).containsExactly("Tenant", "Id");
        assertThat(done.getBoolean("equivalence.passed")).isTrue();
        assertThat(done.getLong("replayedChanges")).isPositive();
        assertSameRows(t, "\"" + schema + "\".ref");
        assertThat(Pg.primary().query("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = ?::regclass", t).stream().map(r -> (String) r.get("relname")).toList())
                .contains("Order Lines_p202601", "Order Lines_p202610", "Order Lines_default");
        assertThat(Pg.primary().queryValue("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = "
                + "?::regclass AND contype = 'p'", t)).isEqualTo("PRIMARY KEY (\"Tenant\", \"Id\", \"CreatedAt\")");
    }

    @Test
    void rowsOutsideThePremadeRangeDuringTheCopyStallNothingAndGetPartitionsBeforeTheSwap() {
        String t = ConversionTest.bigTable(8000);
        String id = ConversionTest.start(t, 250, 50);
        awaitCopying(id);
        for (String row : List.of("900001, timestamptz '2035-06-15 12:00+00'", "900002, timestamptz '1999-03-01 00:00+00'")) {
            Pg.exec("INSERT INTO " + t + " VALUES (" + row + ", 'far', 1)");
            Pg.exec("INSERT INTO " + t + "_ref VALUES (" + row + ", 'far', 1)");
        }
        JsonPath done = awaitFinished(id);
        assertThat(done.getString("phase")).as(done.getString("error")).isEqualTo("DONE");
        assertSameRows(t, t + "_ref");
        assertThat(Pg.partitions(t)).contains(t + "_p203506", t + "_p199903", t + "_default");
        assertThat(Pg.count("SELECT count(*) FROM " + t + "_default")).isZero();
    }

    /**
     * Converts a small table (slowly), makes {@code change} to it (given its name) while it copies, and returns the
     * conversion once it failed, having checked that nothing was swapped and the twin is left to look at.
     */
    private static JsonPath failedByAChangeDuringTheCopy(Function<String, String> change) {
        String t = ConversionTest.bigTable(2000);
        String id = ConversionTest.start(t, 50, 100);
        awaitCopying(id);
        Pg.exec(change.apply(t));
        assertThat(ConversionTest.status(id).getString("phase")).isEqualTo("COPYING");
        JsonPath failed = awaitFinished(id);
        assertThat(failed.getString("phase")).isEqualTo("FAILED");
        assertThat(failed.getMap("swap")).isNull();
        // Nothing swapped: the table is the plain one, no longer captured; the twin is left to look at.
        assertThat(Pg.primary().queryValue("SELECT relkind::text FROM pg_class WHERE oid = ?::regclass", "public." + t))
                .isEqualTo("r");
        assertThat(Pg.count("SELECT count(*) FROM pg_trigger WHERE tgrelid = ?::regclass", "public." + t)).isZero();
        assertThat(Pg.exists(t + "_unpartitioned")).isFalse();
        assertThat(Pg.exists(t + "_pm_new")).isTrue();
        Pg.exec("DROP TABLE " + t + "_pm_new");
        return failed;
    }

    @Test
    void aSchemaChangeDuringTheConversionFailsItAndSwapsNothing() {
        JsonPath failed = failedByAChangeDuringTheCopy(t -> "ALTER TABLE " + t + " ALTER COLUMN body SET DEFAULT 'new'");
        assertThat(failed.getString("error")).contains("column body");
        assertThat(failed.getBoolean("equivalence.passed")).isFalse();
        assertThat(failed.getList("equivalence.differences", String.class))
                .anySatisfy(d -> assertThat(d).startsWith("column body: expected").contains("default 'new'"));
    }

    @Test
    void aRowThatDiffersIsFoundBeforeTheLockAndFailsTheConversion() {
        // A change behind the change log's back (the twin written directly): only the verification can see it.
        JsonPath failed = failedByAChangeDuringTheCopy(t -> "UPDATE " + t + "_pm_new SET n = -999 WHERE id = 1");
        assertThat(failed.getString("error")).startsWith("ranges differ");
        assertThat(failed.getMap("equivalence")).isNull();
    }

    @Test
    void whatPostgresCannotCarryIsRefusedWithTheReasonOrListedForAcceptance() {
        String t = Pg.uniqueTable("shape");
        Pg.exec("CREATE TABLE " + t + " (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, email text UNIQUE,"
                + " during tstzrange, EXCLUDE USING gist (during WITH &&))");
        Pg.exec("CREATE FUNCTION " + t + "_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$");
        Pg.exec("CREATE TRIGGER " + t + "_batch AFTER INSERT ON " + t + " REFERENCING NEW TABLE AS added FOR EACH ROW "
                + "EXECUTE FUNCTION " + t + "_fn()");
        Pg.exec("CREATE TABLE " + t + "_child (parent bigint REFERENCES " + t + " (id))");
        String dryRun = "{\"table\": \"" + t + "\", \"column\": \"created_at\", \"interval\": \"monthly\", \"dryRun\": true}";
        // A key into the table on (id) alone cannot point at a table partitioned by created_at.
        given().contentType("application/json").body(dryRun).when().post("/v1/conversions").then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/conversion-invalid"))
                .body("detail", containsString("foreign key " + t + "_child_parent_fkey of public." + t + "_child"))
                .body("errors.field", hasItem("table"));
        Pg.exec("DROP TABLE " + t + "_child");
        given().contentType("application/json").body(dryRun).when().post("/v1/conversions").then().statusCode(200)
                .body("unsupported.id", containsInAnyOrder("primary-key:" + t + "_pkey", "unique:" + t + "_email_key",
                        "exclusion:" + t + "_during_excl", "trigger:" + t + "_batch"))
                .body("unsupported.find { it.id.startsWith('unique') }.reason", containsString("plain index"))
                .body("ddl", hasItem(containsString("CREATE INDEX")));
    }
}
