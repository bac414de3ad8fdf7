package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfraResource;
import io.sluice.testing.TestClock;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RetentionTest extends AsOperator {

    @Inject
    TestClock clock;

    @BeforeEach
    void fixTime() {
        clock.set(Instant.parse("2026-11-25T12:00:00Z"));
    }

    @AfterEach
    void cleanUp() {
        clock.reset();
        Pg.forgetAllSets();
    }

    /** A monthly table with June to October 2026 filled (1500 rows); with keep P3M, June and July are expired. */
    static String monthsWithData() {
        String t = Pg.uniqueTable("ret");
        Pg.exec("CREATE TABLE " + t + " (id bigint NOT NULL, created_at timestamptz NOT NULL, body text,"
                + " PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)");
        for (int m = 6; m <= 10; m++) {
            Pg.exec("CREATE TABLE %s_p2026%02d PARTITION OF %s FOR VALUES FROM ('2026-%02d-01 00:00+00') TO ('2026-%02d-01 00:00+00')"
                    .formatted(t, m, t, m, m + 1));
        }
        Pg.exec("INSERT INTO " + t + " SELECT g, timestamptz '2026-06-01 00:00+00' + (g % 150) * interval '1 day' "
                + "+ (g % 7) * interval '1 hour', md5(g::text) FROM generate_series(1, 1500) g");
        return t;
    }

    static String put(String t, String mode, String archive) {
        return given().contentType("application/json")
                .body("{\"column\": \"created_at\", \"interval\": \"monthly\", \"premake\": 2,"
                        + " \"retention\": {\"keep\": \"P3M\", \"mode\": \"" + mode + "\"}" + archive + "}")
                .when().put("/v1/partition-sets/" + t).then().statusCode(200)
                .extract().jsonPath().getString("run.outcome");
    }

    /** The rows of a table as text, in id order: a reference to compare restored data with. */
    static String rows(String table, String where) {
        return Pg.primary().queryValue("SELECT coalesce(string_agg(format('%s|%s|%s', id, created_at, body), ',' ORDER BY id), '')"
                + " FROM " + table + " WHERE " + where);
    }

    @Test
    void dropModeDropsExpiredPartitionsOnly() {
        String t = monthsWithData();
        assertThat(put(t, "drop", "")).isEqualTo("OK");
        assertThat(Pg.partitions(t)).doesNotContain(t + "_p202606", t + "_p202607").contains(t + "_p202608");
        assertThat(Pg.exists(t + "_p202606")).isFalse();
        assertThat(Pg.count("SELECT count(*) FROM " + t + " WHERE created_at < '2026-08-01'")).isZero();
        assertThat(Pg.count("SELECT count(*) FROM " + t + " WHERE created_at >= '2026-08-01'")).isPositive();
    }

    @Test
    void detachModeKeepsExpiredPartitionsAsPlainTables() {
        String t = monthsWithData();
        long june = Pg.count("SELECT count(*) FROM " + t + "_p202606");
        assertThat(put(t, "detach", "")).isEqualTo("OK");
        assertThat(Pg.partitions(t)).doesNotContain(t + "_p202606", t + "_p202607");
        assertThat(Pg.count("SELECT count(*) FROM " + t + "_p202606")).isEqualTo(june);
        // No default partition: the detach ran CONCURRENTLY.
        given().when().get("/v1/runs?set=public." + t).then()
                .body("[0].statements.sql", org.hamcrest.Matchers.hasItem(containsString("CONCURRENTLY")));
    }

    @Test
    void archiveVerifiesThenDropsAndRestoreBringsBackTheSameRows() throws Exception {
        String t = monthsWithData();
        String june = rows(t, "created_at < '2026-07-01'");
        String july = rows(t, "created_at >= '2026-07-01' AND created_at < '2026-08-01'");
        assertThat(put(t, "archive", "")).isEqualTo("OK");
        assertThat(Pg.exists(t + "_p202606")).isFalse();
        assertThat(Pg.exists(t + "_p202607")).isFalse();

        List<Map<String, Object>> archives = given().when().get("/v1/archives").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.table == '" + t + "' }");
        assertThat(archives).hasSize(2);
        Map<String, Object> juneArchive = archives.stream().filter(a -> a.get("partition").equals(t + "_p202606"))
                .findFirst().orElseThrow();
        assertThat(((Number) juneArchive.get("rowCount")).longValue()).isEqualTo(june.split(",").length);
        Path file = Path.of((String) juneArchive.get("location"), (String) juneArchive.get("file"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(juneArchive.get("sha256")).isEqualTo(sha);
        assertThat(Files.exists(Path.of((String) juneArchive.get("location"), juneArchive.get("id") + ".manifest.json"))).isTrue();

        given().contentType("application/json").body("{\"into\": \"original\"}")
                .when().post("/v1/archives/" + juneArchive.get("id") + "/restore")
                .then().statusCode(200).body("verified", is(true)).body("rows", is(june.split(",").length));
        assertThat(Pg.partitions(t)).contains(t + "_p202606");
        assertThat(rows(t, "created_at < '2026-07-01'")).isEqualTo(june);

        Object julyId = archives.stream().filter(a -> a.get("partition").equals(t + "_p202607")).findFirst()
                .orElseThrow().get("id");
        given().contentType("application/json").body("{\"into\": \"table\", \"table\": \"public." + t + "_july\"}")
                .when().post("/v1/archives/" + julyId + "/restore").then().statusCode(200);
        assertThat(rows(t + "_july", "true")).isEqualTo(july);
        // Restoring twice into the same place is refused, not doubled.
        given().contentType("application/json").body("{\"into\": \"table\", \"table\": \"public." + t + "_july\"}")
                .when().post("/v1/archives/" + julyId + "/restore").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("already exists"));
        given().contentType("application/json").body("{\"into\": \"table\"}")
                .when().post("/v1/archives/" + julyId + "/restore").then().statusCode(400);
        given().contentType("application/json").body("{\"into\": \"original\"}")
                .when().post("/v1/archives/not-a-uuid/restore").then().statusCode(400);
        given().contentType("application/json").body("{\"into\": \"original\"}")
                .when().post("/v1/archives/" + java.util.UUID.randomUUID() + "/restore").then().statusCode(404);
    }

    @Test
    void aCorruptedArchiveBlocksTheDrop() {
        String t = monthsWithData();
        long expired = Pg.count("SELECT count(*) FROM " + t + " WHERE created_at < '2026-08-01'");
        assertThat(put(t, "archive", ", \"archive\": {\"store\": \"corrupting-file\", \"path\": \""
                + System.getProperty("java.io.tmpdir") + "/sluice-pm-corrupt\"}")).isEqualTo("ERROR");
        assertThat(Pg.partitions(t)).contains(t + "_p202606", t + "_p202607");
        assertThat(Pg.count("SELECT count(*) FROM " + t + " WHERE created_at < '2026-08-01'")).isEqualTo(expired);
        given().when().get("/v1/runs?set=public." + t).then().body("[0].error", containsString("did not verify"));
        given().when().get("/v1/archives").then().body("findAll { it.table == '" + t + "' }.size()", is(0));
        given().when().get("/q/metrics").then()
                .body(containsString("sluice_partitionmanager_archives_total{outcome=\"corrupt\"}"));
    }

    @Test
    void retentionThatWouldBreakAForeignKeyIsRefusedWithTheReason() {
        String t = monthsWithData();
        String child = t + "_child";
        Pg.exec("CREATE TABLE " + child + " (id bigint PRIMARY KEY, parent_id bigint, parent_at timestamptz,"
                + " FOREIGN KEY (parent_id, parent_at) REFERENCES " + t + " (id, created_at))");
        Pg.exec("INSERT INTO " + child + " SELECT 1, id, created_at FROM " + t + " WHERE created_at < '2026-07-01' LIMIT 1");
        assertThat(put(t, "drop", "")).isEqualTo("REFUSED");
        given().when().get("/v1/runs?set=public." + t).then()
                .body("[0].error", containsString("foreign key"))
                .body("[0].error", containsString(child))
                .body("[0].error", containsString(t + "_p202606"));
        // Refused up front: nothing was dropped, but the partitions ahead were still made.
        assertThat(Pg.partitions(t)).contains(t + "_p202606", t + "_p202607", t + "_p202612");

        Pg.exec("DELETE FROM " + child);
        given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(200).body("outcome", is("OK"));
        assertThat(Pg.partitions(t)).doesNotContain(t + "_p202606", t + "_p202607");
    }

    @Test
    void maintenanceOfAnUnknownSetIs404() {
        given().when().post("/v1/partition-sets/public.nope_nope/maintenance").then().statusCode(404)
                .contentType("application/problem+json").body("type", endsWith("/not-found"));
    }
}
