package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.partitionmanager.maintenance.MaintenanceService;
import io.sluice.testing.SluiceInfraResource;
import io.sluice.testing.TestClock;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class MaintenanceTest extends AsOperator {

    @Inject
    TestClock clock;

    @Inject
    MaintenanceService maintenance;

    @BeforeEach
    void fixTime() {
        clock.set(Instant.parse("2026-11-25T12:00:00Z"));
    }

    @AfterEach
    void cleanUp() {
        clock.reset();
        Pg.forgetAllSets();
    }

    static String daily(String table, int premake) {
        Pg.exec("CREATE TABLE " + table + " (id bigint, at date NOT NULL) PARTITION BY RANGE (at)");
        String body = "{\"column\": \"at\", \"interval\": \"day\", \"premake\": " + premake + "}";
        given().contentType("application/json").body(body).when().put("/v1/partition-sets/" + table)
                .then().statusCode(200);
        return body;
    }

    static void maintain(String table) {
        given().when().post("/v1/partition-sets/" + table + "/maintenance").then().statusCode(200)
                .body("outcome", is("OK"));
    }

    @Test
    void partitionsAreMadeAheadByTheClockEvenWithoutNewData() {
        String table = Pg.uniqueTable("premake");
        daily(table, 3);
        assertThat(Pg.partitions(table)).containsExactly(table + "_p20261125", table + "_p20261126",
                table + "_p20261127", table + "_p20261128");

        clock.advance(Duration.ofDays(2));
        maintain(table);
        assertThat(Pg.partitions(table)).hasSize(6).last().isEqualTo(table + "_p20261130");
        given().when().get("/v1/partition-sets/" + table).then().body("runway", is(3));
    }

    @Test
    void gapsAreFilledAndASecondRunDoesNothing() {
        String table = Pg.uniqueTable("gaps");
        // An old partition far behind today: every day between it and today is a gap.
        Pg.exec("CREATE TABLE " + table + " (id bigint, at date NOT NULL) PARTITION BY RANGE (at)");
        Pg.exec("CREATE TABLE " + table + "_old PARTITION OF " + table + " FOR VALUES FROM ('2026-11-20') TO ('2026-11-21')");
        given().contentType("application/json").body("{\"column\": \"at\", \"interval\": \"day\", \"premake\": 2}")
                .when().put("/v1/partition-sets/" + table).then().statusCode(200);
        assertThat(Pg.partitions(table)).hasSize(1 + 4 + 3).contains(table + "_p20261121", table + "_p20261124");

        Pg.exec("DROP TABLE " + table + "_p20261122");
        given().when().get("/v1/partition-sets/" + table).then().body("gaps", hasSize(1))
                .body("gaps[0].from", is("2026-11-22"));
        given().when().post("/v1/partition-sets/" + table + "/maintenance").then().statusCode(200)
                .body("statements", hasSize(1)).body("statements[0].sql", containsString("_p20261122"));
        given().when().post("/v1/partition-sets/" + table + "/maintenance").then().statusCode(200)
                .body("outcome", is("OK")).body("statements", hasSize(0));
    }

    @Test
    void readinessGoesDownWhenRunwayIsShortAndUpAgainAfterMaintenance() throws Exception {
        String table = Pg.uniqueTable("runway");
        daily(table, 2);
        given().when().get("/q/health/ready").then().statusCode(200);
        clock.advance(Duration.ofDays(3));
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'partition-sets' }.status", is("DOWN"));
        given().when().post("/v1/maintenance").then().statusCode(200)
                .body("set", org.hamcrest.Matchers.hasItem("public." + table));
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then()
                .body(containsString("sluice_partitionmanager_set_runway{set=\"public." + table + "\"} 2.0"));
    }

    @Test
    void boundsAreMidnightsOfTheSetsTimeZoneAndReadBackIdempotently() {
        String table = Pg.uniqueTable("tokyo");
        // 20:00 UTC on the 25th is already 05:00 on the 26th in Tokyo.
        clock.set(Instant.parse("2026-11-25T20:00:00Z"));
        Pg.exec("CREATE TABLE " + table + " (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at)");
        String body = "{\"column\": \"at\", \"interval\": \"weekly\", \"premake\": 1, \"timezone\": \"Asia/Tokyo\"}";
        given().contentType("application/json").body(body).when().put("/v1/partition-sets/" + table)
                .then().statusCode(200).body("run.statements", hasSize(2));
        assertThat(Pg.partitions(table)).containsExactly(table + "_w20261123", table + "_w20261130");
        assertThat(Pg.primary().queryValue("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = ?",
                table + "_w20261123")).isEqualTo("FOR VALUES FROM ('2026-11-22 15:00:00+00') TO ('2026-11-29 15:00:00+00')");
        given().when().post("/v1/partition-sets/" + table + "/maintenance").then().statusCode(200)
                .body("statements", hasSize(0));
        given().when().get("/v1/partition-sets/" + table).then().body("runway", is(1)).body("gaps", hasSize(0));
    }

    @Test
    void theHistoryRecordsStatementsAndDurationsNewestFirst() {
        String table = Pg.uniqueTable("history");
        daily(table, 1);
        given().when().get("/v1/runs?set=public." + table).then().statusCode(200)
                .body("[0].trigger", is("put")).body("[0].statements", hasSize(2))
                .body("[0].statements[0].sql", containsString("CREATE TABLE"))
                .body("[0].statements[0].durationMs", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("[0].lockMode", is("redis+pg"))
                .body("[0].fencingToken", org.hamcrest.Matchers.greaterThan(0));
        given().when().get("/v1/runs?limit=0").then().statusCode(400).contentType("application/problem+json");
        given().when().get("/v1/runs?outcome=meh").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aDdlThatCannotGetItsLockGivesUpAndIsRecordedAsAnError() throws Exception {
        String table = Pg.uniqueTable("locked");
        daily(table, 1);
        clock.advance(Duration.ofDays(1));
        // An application transaction holds the parent: CREATE ... PARTITION OF must wait, give up, retry, give up.
        try (var app = Pg.primary().connect()) {
            app.setAutoCommit(false);
            app.createStatement().execute("LOCK TABLE ONLY " + table + " IN ACCESS EXCLUSIVE MODE");
            given().when().post("/v1/partition-sets/" + table + "/maintenance").then().statusCode(200)
                    .body("outcome", is("ERROR")).body("statements[0].attempts", is(2))
                    .body("statements[0].error", containsString("55P03"));
            app.rollback();
        }
        given().when().get("/v1/runs?outcome=error&set=public." + table).then().body("", hasSize(1));
        maintain(table);
    }
}
