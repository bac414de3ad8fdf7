package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.time.Instant;

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
class DoctorTest extends AsOperator {

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

    @Test
    void rowsInTheDefaultPartitionWarnAndAreEvacuatedIntoTheirOwnPartitions() {
        String t = Pg.uniqueTable("doc");
        Pg.exec("CREATE TABLE " + t + " (id bigint, created_at timestamptz NOT NULL, v text) PARTITION BY RANGE (created_at)");
        Pg.exec("CREATE TABLE " + t + "_default PARTITION OF " + t + " DEFAULT");
        Pg.exec("INSERT INTO " + t + " SELECT g, timestamptz '2026-06-01 00:00+00' + (g % 55) * interval '1 day', 'x'"
                + " FROM generate_series(1, 2500) g");
        String reference = Pg.primary().queryValue("SELECT md5(string_agg(id || '/' || created_at, ',' ORDER BY id)) FROM " + t);
        long june = Pg.count("SELECT count(*) FROM " + t + " WHERE created_at < '2026-07-01'");
        given().contentType("application/json").body("{\"column\": \"created_at\", \"interval\": \"monthly\", \"premake\": 1}")
                .when().put("/v1/partition-sets/" + t).then().statusCode(200);

        given().when().get("/v1/partition-sets/" + t).then().body("defaultRows", is(2500));
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'partition-sets' }.data.'public." + t + ".warning'",
                        containsString("2500 rows in the default partition"));
        given().when().get("/q/metrics").then()
                .body(containsString("sluice_partitionmanager_set_default_rows{set=\"public." + t + "\"} 2500.0"));

        given().when().post("/v1/partition-sets/" + t + "/evacuate?batch_size=400").then().statusCode(200)
                .body("rowsMoved", is(2500)).body("rowsLeftInDefault", is(0)).body("partitions", hasSize(2))
                .body("partitions[0].partition", is(t + "_p202606")).body("partitions[0].rows", is((int) june))
                .body("partitions[0].batches", is((int) ((june + 399) / 400)));
        assertThat(Pg.count("SELECT count(*) FROM " + t + "_default")).isZero();
        assertThat(Pg.count("SELECT count(*) FROM " + t + "_p202606")).isEqualTo(june);
        assertThat(Pg.primary().queryValue("SELECT md5(string_agg(id || '/' || created_at, ',' ORDER BY id)) FROM " + t))
                .isEqualTo(reference);
        // The months between the evacuated ones and today are now gaps, which the next run fills.
        given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(200)
                .body("statements", hasSize(3));
        given().when().get("/v1/partition-sets/" + t).then().body("gaps", hasSize(0)).body("defaultRows", is(0));
        given().when().post("/v1/partition-sets/" + t + "/evacuate?batch_size=0").then().statusCode(400);
    }
}
