package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.sluice.testing.ServiceProcess;
import io.sluice.testing.SluiceInfra;

/**
 * partition-manager as operators run it (the packaged jar, its own JVM) killed with SIGKILL in the middle of a
 * conversion's copy and again in the middle of its replay: each time it is started again, resumes the conversion on
 * its own from what the database holds, and the result is the table row for row, with the schema check passed.
 */
class ConversionKillIT extends AsOperator {

    private static final String TOKEN = "test-admin-token";

    private static ServiceProcess pm;

    @BeforeAll
    static void startService() throws Exception {
        var infra = SluiceInfra.get();
        infra.heal();
        pm = ServiceProcess.of("partition-manager", Path.of("."), Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + infra.primary().port() + "/postgres",
                "quarkus.redis.hosts", infra.redis().url(),
                "partition-manager.admin.token", TOKEN,
                "partition-manager.maintenance.cron", "off",
                "partition-manager.archive.path", Files.createTempDirectory("pm-kill-it").toString(),
                "partition-manager.conversion.resume-on-start", "true"));
        pm.start(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopService() {
        if (pm != null) {
            pm.stop();
        }
    }

    private static JsonPath status(String id) {
        return given().baseUri(pm.url()).when().get("/v1/conversions/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The stored state, read from the database while the service is dead. */
    private static Map<String, Object> stored(String id) {
        return Pg.primary().query("SELECT phase, copied_rows, total_rows, replayed_changes FROM sluice_partman.conversion"
                + " WHERE id = ?::uuid", id).get(0);
    }

    @Test
    void killedMidCopyAndMidReplayItResumesToAnEqualTable() {
        int rows = 40_000;
        String t = ConversionTest.bigTable(rows);
        String id = given().baseUri(pm.url()).contentType("application/json")
                .body("{\"table\": \"public." + t + "\", \"column\": \"created_at\", \"interval\": \"monthly\","
                        + " \"batchSize\": 500, \"throttleMs\": 40, \"accept\": [\"primary-key:" + t + "_pkey\"]}")
                .when().post("/v1/conversions").then().statusCode(202).extract().jsonPath().getString("id");

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(id).getLong("copiedRows") >= 5000);
        pm.kill();
        assertThat(pm.isAlive()).isFalse();
        var midCopy = stored(id);
        assertThat(midCopy.get("phase")).isEqualTo("COPYING");
        assertThat((Long) midCopy.get("copied_rows")).isBetween(5000L, rows - 1L);
        // While it is dead the table keeps being written: every row changes once, some go, some come.
        for (String sql : new String[] { "UPDATE %s SET n = n + 1", "DELETE FROM %s WHERE id %% 97 = 0",
                "INSERT INTO %s SELECT g, timestamptz '2026-05-01 00:00+00' + g * interval '1 minute', 'new', 0"
                        + " FROM generate_series(1000000, 1002000) g" }) {
            Pg.exec(sql.formatted(t));
            Pg.exec(sql.formatted(t + "_ref"));
        }

        pm.start(Duration.ofSeconds(90));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var s = status(id);
            return s.getString("phase").equals("REPLAYING") && s.getLong("replayedChanges") > 0;
        });
        pm.kill();
        var midReplay = stored(id);
        assertThat(midReplay.get("phase")).isEqualTo("REPLAYING");
        String log = "sluice_partman.\"conv_" + id.replace("-", "").substring(0, 16) + "_log\"";
        assertThat(Pg.count("SELECT count(*) FROM " + log)).as("changes still to replay").isPositive();

        pm.start(Duration.ofSeconds(90));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String phase = status(id).getString("phase");
            return phase.equals("DONE") || phase.equals("FAILED");
        });
        var done = status(id);
        assertThat(done.getString("phase")).as(done.getString("error")).isEqualTo("DONE");
        assertThat(done.getBoolean("equivalence.passed")).isTrue();
        // Each batch counted once: copied rows are at most the rows there were, never one batch twice.
        assertThat(done.getLong("copiedRows")).isBetween(rows - (long) rows / 97 - 1, rows + 2001L);
        assertThat(done.getLong("replayedChanges")).isGreaterThanOrEqualTo(rows);
        ConversionTest.assertMatchesReference(t);
        assertThat(pm.tail(400)).contains("Resuming conversion " + id);
    }
}
