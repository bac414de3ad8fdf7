package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
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
class PartitionSetCrudTest extends AsOperator {

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

    static String createBody(int premake) {
        return """
                {"column": "created_at", "interval": "monthly", "premake": %d,
                 "columns": [{"name": "id", "type": "bigint", "nullable": false},
                             {"name": "created_at", "type": "timestamptz"}, {"name": "body", "type": "text"}],
                 "primaryKey": ["id", "created_at"]}""".formatted(premake);
    }

    @Test
    void aDryRunShowsTheExactDdlAndChangesNothing() {
        String table = Pg.uniqueTable("crud");
        var ddl = given().contentType("application/json").body(createBody(2))
                .when().put("/v1/partition-sets/public." + table + "?dry_run=true")
                .then().statusCode(200).body("dryRun", is(true)).body("ddl", hasSize(4))
                .extract().jsonPath().<String>getList("ddl");
        assertThat(ddl.get(0)).isEqualTo("CREATE TABLE \"public\".\"" + table + "\" (\"id\" bigint NOT NULL, "
                + "\"created_at\" timestamptz NOT NULL, \"body\" text, PRIMARY KEY (\"id\", \"created_at\")) "
                + "PARTITION BY RANGE (\"created_at\")");
        assertThat(ddl.get(1)).isEqualTo("CREATE TABLE \"public\".\"" + table + "_p202611\" PARTITION OF \"public\".\""
                + table + "\" FOR VALUES FROM ('2026-11-01 00:00:00+00:00') TO ('2026-12-01 00:00:00+00:00')");
        assertThat(Pg.exists(table)).isFalse();
        given().when().get("/v1/partition-sets").then().statusCode(200).body("name", org.hamcrest.Matchers.not(hasItem("public." + table)));
        // Applied by hand, the dry run's DDL gives the same table the real PUT makes.
        ddl.forEach(Pg::exec);
        assertThat(Pg.partitions(table)).containsExactly(table + "_p202611", table + "_p202612", table + "_p202701");
    }

    @Test
    void putCreatesTheParentAndItsPartitionsThenGetAndDelete() {
        String table = Pg.uniqueTable("crud");
        given().contentType("application/json").body(createBody(3))
                .when().put("/v1/partition-sets/" + table)
                .then().statusCode(200).body("dryRun", is(false)).body("run.outcome", is("OK"))
                .body("set.name", is("public." + table)).body("set.interval", is("month"));
        assertThat(Pg.partitions(table)).hasSize(4).first().isEqualTo(table + "_p202611");
        Pg.exec("INSERT INTO " + table + " VALUES (1, '2026-12-24 18:00+00', 'x')");

        given().when().get("/v1/partition-sets").then().statusCode(200).body("name", hasItem("public." + table));
        given().when().get("/v1/partition-sets/public." + table)
                .then().statusCode(200).body("runway", is(3)).body("runwayOk", is(true))
                .body("partitions", hasSize(4)).body("lastRun.outcome", is("OK"));

        given().when().delete("/v1/partition-sets/public." + table).then().statusCode(204);
        given().when().get("/v1/partition-sets/public." + table).then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(Pg.count("SELECT count(*) FROM " + table)).isEqualTo(1);
    }

    @Test
    void anExistingPartitionedTableIsAdoptedAndPutIsIdempotent() {
        String table = Pg.uniqueTable("adopt");
        Pg.exec("CREATE TABLE " + table + " (id bigint, day date NOT NULL) PARTITION BY RANGE (day)");
        String body = "{\"column\": \"day\", \"interval\": \"daily\", \"premake\": 5}";
        given().contentType("application/json").body(body).when().put("/v1/partition-sets/" + table)
                .then().statusCode(200).body("run.statements", hasSize(6));
        assertThat(Pg.partitions(table)).first().isEqualTo(table + "_p20261125");
        given().contentType("application/json").body(body).when().put("/v1/partition-sets/" + table)
                .then().statusCode(200).body("run.outcome", is("OK")).body("run.statements", hasSize(0));
        assertThat(Pg.partitions(table)).hasSize(6);
    }

    private static void badPut(String path, String body, String detail) {
        given().contentType("application/json").body(body).when().put("/v1/partition-sets/" + path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString(detail));
    }

    @Test
    void everyBadInputIsA400ProblemAndNothingIsWritten() {
        String plain = Pg.uniqueTable("plain");
        Pg.exec("CREATE TABLE " + plain + " (id bigint, created_at timestamptz, name text)");
        String parted = Pg.uniqueTable("parted");
        Pg.exec("CREATE TABLE " + parted + " (id bigint, created_at timestamptz NOT NULL, name text NOT NULL)"
                + " PARTITION BY RANGE (created_at)");
        String ok = "{\"column\": \"created_at\", \"interval\": \"monthly\"}";

        badPut("x;drop", ok, "not a valid identifier");
        badPut("a.b.c", ok, "not schema.table");
        badPut(Pg.uniqueTable("missing"), ok, "does not exist; give 'columns'");
        badPut(plain, ok, "is not partitioned");
        badPut(parted, "{\"column\": \"nope\", \"interval\": \"monthly\"}", "partitioned by [created_at]");
        badPut(parted, "{\"column\": \"Bad Col\", \"interval\": \"monthly\"}", "not a valid identifier");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"hourly\"}", "interval");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", \"premake\": 0}", "premake");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", \"premake\": 367}", "premake");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", "
                + "\"retention\": {\"keep\": \"P20D\", \"mode\": \"drop\"}}", "shorter than one month");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", "
                + "\"retention\": {\"keep\": \"two years\", \"mode\": \"drop\"}}", "not an ISO-8601 period");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", "
                + "\"retention\": {\"keep\": \"P2M\", \"mode\": \"shred\"}}", "mode");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", \"timezone\": \"Mars/Base\"}",
                "not a time zone");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", "
                + "\"archive\": {\"store\": \"s3\", \"path\": \"/tmp/x\"}}", "not available");
        badPut(parted, "{\"column\": \"created_at\", \"interval\": \"monthly\", "
                + "\"archive\": {\"path\": \"relative/dir\"}}", "absolute");
        String missing = Pg.uniqueTable("new");
        badPut(missing, "{\"column\": \"name\", \"interval\": \"monthly\", \"columns\": "
                + "[{\"name\": \"name\", \"type\": \"text\"}]}", "not a date or timestamp");
        badPut(missing, "{\"column\": \"at\", \"interval\": \"monthly\", \"columns\": "
                + "[{\"name\": \"at\", \"type\": \"date); DROP TABLE x; --\"}]}", "not a known type");
        badPut(missing, "{\"column\": \"at\", \"interval\": \"monthly\", \"columns\": "
                + "[{\"name\": \"at\", \"type\": \"no_such_type\"}]}", "not a known type");
        badPut(missing, "{\"column\": \"at\", \"interval\": \"monthly\", \"primaryKey\": [\"id\"], \"columns\": "
                + "[{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"at\", \"type\": \"date\"}]}",
                "must include the partition column");
        String textCol = Pg.uniqueTable("textcol");
        Pg.exec("CREATE TABLE " + textCol + " (id bigint, label text NOT NULL) PARTITION BY RANGE (label)");
        badPut(textCol, "{\"column\": \"label\", \"interval\": \"monthly\"}", "not a date or timestamp");

        given().contentType("application/json").body("{\"interval\": \"monthly\"}")
                .when().put("/v1/partition-sets/" + parted)
                .then().statusCode(400).body("type", endsWith("/validation-failed")).body("errors[0].field", is("column"));
        assertThat(Pg.exists(missing)).isFalse();
        assertThat(Pg.count("SELECT count(*) FROM sluice_partman.partition_set")).isZero();
        assertThat(Pg.partitions(parted)).isEmpty();
    }
}
