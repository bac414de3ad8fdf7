package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class ConversionTest extends AsOperator {

    @AfterEach
    void cleanUp() {
        Pg.forgetAllSets();
    }

    /** A plain table of {@code rows} rows over Jan-Nov 2026, and {@code <t>_ref}: the same rows, the reference. */
    /** The data of the partition-sets readiness check. */
    static java.util.Map<String, Object> readinessData() {
        return given().when().get("/q/health/ready").then().extract().jsonPath()
                .getMap("checks.find { it.name == 'partition-sets' }.data");
    }

    static String bigTable(int rows) {
        String t = Pg.uniqueTable("conv");
        Pg.exec("CREATE TABLE " + t + " (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, body text, n int)");
        Pg.exec("INSERT INTO " + t + " SELECT g, timestamptz '2026-01-01 00:00+00' + (g % 300) * interval '1 day'"
                + " + (g % 86400) * interval '1 second', md5(g::text), g % 1000 FROM generate_series(1, ?) g", rows);
        Pg.exec("CREATE TABLE " + t + "_ref AS SELECT * FROM " + t);
        Pg.exec("ANALYZE " + t);
        return t;
    }

    /** Writes to the table and, in the same transaction, the same change to the reference: until stopped. */
    static final class Writer implements Runnable {
        final String t;
        final int rows;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong ops = new AtomicLong();
        volatile Throwable failure;

        Writer(String t, int rows) {
            this.t = t;
            this.rows = rows;
        }

        @Override
        public void run() {
            try (Connection c = Pg.primary().connect()) {
                c.setAutoCommit(false);
                long nextId = 10_000_000L;
                var random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    int op = random.nextInt(3);
                    long id = 1 + random.nextInt(rows);
                    String sql = switch (op) {
                        case 0 -> "INSERT INTO %s VALUES (" + (nextId++) + ", timestamptz '2026-03-01 00:00+00' + "
                                + random.nextInt(200) + " * interval '1 day', 'new', 1)";
                        case 1 -> "UPDATE %s SET body = md5(random()::text), n = n + 1, created_at = created_at + "
                                + "interval '20 days' WHERE id = " + id;
                        default -> "DELETE FROM %s WHERE id = " + id;
                    };
                    try (var st = c.createStatement()) {
                        st.execute(sql.formatted(t));
                        st.execute(sql.formatted(t + "_ref").replace("md5(random()::text)", "(SELECT body FROM " + t
                                + " WHERE id = " + id + ")"));
                    }
                    c.commit();
                    ops.incrementAndGet();
                }
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    static void assertMatchesReference(String t) {
        assertThat(Pg.primary().queryValue("SELECT relkind::text FROM pg_class WHERE oid = ?::regclass", "public." + t))
                .isEqualTo("p");
        assertThat(Pg.exists(t + "_unpartitioned")).isTrue();
        assertThat(Pg.count("SELECT count(*) FROM (SELECT * FROM " + t + " EXCEPT ALL SELECT * FROM " + t + "_ref) x"))
                .isZero();
        assertThat(Pg.count("SELECT count(*) FROM (SELECT * FROM " + t + "_ref EXCEPT ALL SELECT * FROM " + t + ") x"))
                .isZero();
    }

    static String start(String t, int batch, int throttleMs) {
        return given().contentType("application/json")
                .body("{\"table\": \"public." + t + "\", \"column\": \"created_at\", \"interval\": \"monthly\","
                        + " \"batchSize\": " + batch + ", \"throttleMs\": " + throttleMs
                        + ", \"accept\": [\"primary-key:" + t + "_pkey\"]}")
                .when().post("/v1/conversions").then().statusCode(202).body("phase", is("COPYING"))
                .extract().jsonPath().getString("id");
    }

    static JsonPath status(String id) {
        return given().when().get("/v1/conversions/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aMillionRowTableIsConvertedWhileItIsWrittenAndNothingIsLost() throws Exception {
        int rows = 1_000_000;
        String t = bigTable(rows);
        var writer = new Writer(t, rows);
        var thread = new Thread(writer, "conversion-test-writer");
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.ops.get() > 50);
            String id = start(t, 5000, 0);
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !status(id).getString("phase").equals("COPYING"));
            // The writer keeps going through the replay and the swap.
            long before = writer.ops.get();
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> status(id).getString("phase").equals("DONE"));
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.ops.get() > before + 50);
            var done = status(id);
            assertThat(done.getLong("copiedRows")).isGreaterThanOrEqualTo(rows / 2);
            assertThat(done.getLong("replayedChanges")).isPositive();
            assertThat(done.getDouble("progress")).isEqualTo(1.0);
        } finally {
            writer.stop.set(true);
            thread.join(30_000);
        }
        assertThat(writer.failure).isNull();
        assertMatchesReference(t);
        assertThat(Pg.partitions(t)).contains(t + "_p202601", t + "_p202611");
        // The converted table can be declared as a set straight away.
        given().contentType("application/json").body("{\"column\": \"created_at\", \"interval\": \"monthly\"}")
                .when().put("/v1/partition-sets/" + t).then().statusCode(200).body("run.outcome", is("OK"));
    }

    @Test
    void aConversionKilledHalfwayResumesWhereItStopped() throws Exception {
        int rows = 60_000;
        String t = bigTable(rows);
        String id = start(t, 500, 15);
        await().atMost(Duration.ofMinutes(2)).until(() -> status(id).getLong("copiedRows") >= 5000);
        // The crash: the conversion's database session dies mid-copy.
        Pg.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'sluice-pm-conversion-%'");
        await().atMost(Duration.ofMinutes(1)).until(() -> !status(id).getBoolean("running"));
        var stopped = status(id);
        assertThat(stopped.getString("phase")).isEqualTo("COPYING");
        assertThat(stopped.getString("error")).startsWith("interrupted");
        assertThat(stopped.getLong("copiedRows")).isLessThan(rows);
        assertThat(stopped.getLong("etaSeconds")).isNotNull();
        // Readiness reports it (UP or not, whatever other sets say): stopped halfway, waiting for a resume.
        String warning = "conversion.public." + t + ".warning";
        assertThat(readinessData()).containsKey("conversion.public." + t)
                .hasEntrySatisfying(warning, w -> assertThat(String.valueOf(w)).startsWith("interrupted")
                        .contains("/v1/conversions/" + id + "/resume"));
        // Changes made while nothing runs are captured by the trigger and replayed after the resume.
        Pg.exec("UPDATE " + t + " SET n = -1 WHERE id <= 10");
        Pg.exec("UPDATE " + t + "_ref SET n = -1 WHERE id <= 10");
        Pg.exec("DELETE FROM " + t + " WHERE id BETWEEN 59000 AND 59010");
        Pg.exec("DELETE FROM " + t + "_ref WHERE id BETWEEN 59000 AND 59010");

        given().when().post("/v1/conversions/" + id + "/resume?throttle_ms=0").then().statusCode(202);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> status(id).getString("phase").equals("DONE"));
        assertThat(status(id).getLong("copiedRows")).isBetween((long) rows - 11, (long) rows);
        assertMatchesReference(t);
        assertThat(readinessData()).as("done: no longer reported").doesNotContainKeys("conversion.public." + t,
                warning);
        // The list (what the console shows) has it first, finished, with its progress.
        var listed = given().when().get("/v1/conversions?limit=5").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getString("[0].id")).isEqualTo(id);
        assertThat(listed.getString("[0].phase")).isEqualTo("DONE");
        assertThat(listed.getDouble("[0].progress")).isEqualTo(1.0);
        assertThat(listed.getList("$").size()).isBetween(1, 5);
        given().when().post("/v1/conversions/" + id + "/resume").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aDryRunShowsTheDdlAndWhatNeedsAcceptingAndChangesNothing() {
        String t = bigTable(100);
        String body = "{\"table\": \"" + t + "\", \"column\": \"created_at\", \"interval\": \"monthly\"";
        given().contentType("application/json").body(body + ", \"dryRun\": true}")
                .when().post("/v1/conversions").then().statusCode(200)
                .body("ddl[1]", containsString("CREATE TABLE \"public\".\"" + t + "_pm_new\" (LIKE"))
                .body("ddl.findAll { it.contains('CREATE TRIGGER') }.size()", is(1))
                .body("ddl.findAll { it.contains('PARTITION OF') && it.endsWith(' DEFAULT') }.size()", is(1))
                .body("unsupported.id", contains("primary-key:" + t + "_pkey"))
                .body("unsupported[0].reason", containsString("(id, created_at)"))
                .body("unsupported[0].accepted", is(false));
        // Without accepting the wider key nothing starts, and the answer says what to accept.
        given().contentType("application/json").body(body + "}").when().post("/v1/conversions").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/conversion-not-accepted"))
                .body("errors[0].field", is("accept"))
                .body("errors[0].message", startsWith("primary-key:" + t + "_pkey: "));
        given().contentType("application/json").body(body + ", \"accept\": [\"unique:nope\"]}").when()
                .post("/v1/conversions").then().statusCode(400).body("type", endsWith("/validation-failed"))
                .body("detail", containsString("unique:nope"));
        assertThat(Pg.exists(t + "_pm_new")).isFalse();
        assertThat(Pg.count("SELECT count(*) FROM pg_trigger WHERE tgrelid = ?::regclass", "public." + t)).isZero();
    }

    private static void bad(String body, String detail) {
        given().contentType("application/json").body(body).when().post("/v1/conversions")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString(detail));
    }

    @Test
    void badConversionRequestsAre400() {
        String t = bigTable(10);
        String noPk = Pg.uniqueTable("nopk");
        Pg.exec("CREATE TABLE " + noPk + " (id bigint, created_at timestamptz)");
        String parted = Pg.uniqueTable("parted");
        Pg.exec("CREATE TABLE " + parted + " (id bigint, created_at timestamptz) PARTITION BY RANGE (created_at)");
        bad("{\"table\": \"" + Pg.uniqueTable("none") + "\", \"column\": \"created_at\", \"interval\": \"monthly\"}",
                "does not exist");
        bad("{\"table\": \"" + parted + "\", \"column\": \"created_at\", \"interval\": \"monthly\"}", "already partitioned");
        bad("{\"table\": \"" + t + "\", \"column\": \"body\", \"interval\": \"monthly\"}", "not a date or timestamp");
        bad("{\"table\": \"" + t + "\", \"column\": \"nope\", \"interval\": \"monthly\"}", "does not exist");
        bad("{\"table\": \"" + noPk + "\", \"column\": \"created_at\", \"interval\": \"monthly\"}", "primary key");
        bad("{\"table\": \"" + t + "\", \"column\": \"created_at\", \"interval\": \"hourly\"}", "interval");
        bad("{\"table\": \"" + t + "\", \"column\": \"created_at\", \"interval\": \"monthly\", \"batchSize\": 0}", "batchSize");
        bad("{\"table\": \"x y\", \"column\": \"created_at\", \"interval\": \"monthly\"}", "does not exist");
        bad("{\"table\": \"a.b.c\", \"column\": \"created_at\", \"interval\": \"monthly\"}", "not schema.table");
        bad("{\"table\": \"" + "x".repeat(64) + "\", \"column\": \"created_at\", \"interval\": \"monthly\"}",
                "1 to 63 bytes");
        given().when().get("/v1/conversions?limit=0").then().statusCode(400).contentType("application/problem+json");
        given().when().get("/v1/conversions?limit=lots").then().statusCode(400).contentType("application/problem+json");
        given().when().get("/v1/conversions/nope").then().statusCode(400).body("type", endsWith("/validation-failed"));
        given().when().get("/v1/conversions/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }
}
