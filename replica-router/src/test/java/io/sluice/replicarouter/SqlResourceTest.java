package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** POST /sql in Neon's wire format, against the harness's real primary. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SqlResourceTest {

    private static RequestSpecification neon() {
        // What the real driver sends: JSON as text/plain, raw text output, array mode.
        return given().contentType("text/plain").header("Neon-Raw-Text-Output", "true");
    }

    private static String table() {
        return "r_" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void textParametersAreBoundByTheirInferredTypesAndTheWriteLands() {
        String t = table();
        SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (id int primary key, name text, at timestamptz,"
                + " ok boolean, doc jsonb, tags int[], bin bytea, amount numeric)");

        neon().body("{\"query\": \"INSERT INTO " + t + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)\", \"params\": "
                + "[\"7\", \"O'Brien\", \"2024-01-02T03:04:05.678+00:00\", \"true\", \"{\\\"a\\\":1}\","
                + " \"{\\\"1\\\",\\\"2\\\",NULL}\", \"\\\\xdead\", \"1.50\"]}")
                .when().post("/sql")
                .then().statusCode(200).body("command", is("INSERT")).body("rowCount", is(1));

        var primary = SluiceInfra.get().primary();
        assertEquals("O'Brien|2024-01-02 03:04:05.678+00|true|{\"a\": 1}|{1,2,NULL}|\\xdead|1.50",
                primary.queryValue("SELECT concat_ws('|', name, (at AT TIME ZONE 'UTC')::text || '+00', ok::text,"
                        + " doc::text, tags::text, bin::text, amount::text) FROM " + t + " WHERE id = 7"));
    }

    @Test
    void rowsComeBackAsPostgresTextWithTypeOids() {
        neon().header("Neon-Array-Mode", "true").body("{\"query\": \"SELECT 1::int4 AS i, 9007199254740993::int8 AS big,"
                + " true AS b, 1.50::numeric AS n, 1e20::float8 AS f, 0.5::float8 AS half, 'x y'::text AS s,"
                + " '2024-01-02 03:04:05.5+00'::timestamptz AS ts, '2024-01-02'::date AS d,"
                + " interval '1 day 2 hours' AS iv, '\\\\xdead'::bytea AS bin, ARRAY[1,NULL,3] AS arr,"
                + " ARRAY['a b','c'] AS texts, '{\\\"k\\\": [1, 2]}'::jsonb AS j, NULL::int AS nothing\", \"params\": []}")
                .when().post("/sql")
                .then().statusCode(200)
                .body("command", is("SELECT"))
                .body("rowAsArray", is(true))
                .body("fields.name", contains("i", "big", "b", "n", "f", "half", "s", "ts", "d", "iv", "bin", "arr",
                        "texts", "j", "nothing"))
                .body("fields.dataTypeID", contains(23, 20, 16, 1700, 701, 701, 25, 1184, 1082, 1186, 17, 1007,
                        1009, 3802, 23))
                .body("rows[0]", contains("1", "9007199254740993", "t", "1.50", "1e+20", "0.5", "x y",
                        "2024-01-02 03:04:05.5+00", "2024-01-02", "1 day 02:00:00", "\\xdead", "{1,NULL,3}",
                        "{\"a b\",c}", "{\"k\":[1,2]}", null));
    }

    @Test
    void objectRowsAreTheDefault() {
        given().contentType("application/json").body("{\"query\": \"SELECT $1::int + 1 AS n\", \"params\": [41]}")
                .when().post("/sql")
                .then().statusCode(200).body("rowAsArray", is(false)).body("rows[0].n", is("42"));
    }

    @Test
    void withoutRawTextOutputValuesKeepTheirJsonTypes() {
        given().contentType("application/json").header("Neon-Raw-Text-Output", "false")
                .body("{\"query\": \"SELECT 2 AS n, true AS b, 8::int8 AS big\"}")
                .when().post("/sql")
                .then().statusCode(200).body("rows[0].n", is(2)).body("rows[0].b", is(true))
                .body("rows[0].big", is("8"));
    }

    @Test
    void aBatchIsOneTransaction() {
        String t = table();
        SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (id int primary key)");
        neon().body("{\"queries\": [{\"query\": \"INSERT INTO " + t + " VALUES ($1)\", \"params\": [\"1\"]},"
                + " {\"query\": \"SELECT count(*) AS c FROM " + t + "\", \"params\": []}]}")
                .when().post("/sql")
                .then().statusCode(200)
                .body("results[0].command", is("INSERT"))
                .body("results[1].rows[0].c", is("1"));

        // The second statement fails: the first one's insert must be rolled back with it.
        neon().body("{\"queries\": [{\"query\": \"INSERT INTO " + t + " VALUES ($1)\", \"params\": [\"2\"]},"
                + " {\"query\": \"INSERT INTO " + t + " VALUES ($1)\", \"params\": [\"1\"]}]}")
                .when().post("/sql")
                .then().statusCode(400).body("code", is("23505"));
        assertEquals("1", SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + t));
    }

    @Test
    void aReadOnlyBatchRefusesWritesAndIsolationIsApplied() {
        String t = table();
        SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (id int)");
        // A read-only batch goes to the replica: it must know the table, so that what refuses the write is the
        // read-only transaction (25006), not a missing relation.
        SluiceInfra.get().awaitReplayed(SluiceInfra.get().replica(), java.time.Duration.ofSeconds(10));
        neon().header("Neon-Batch-Read-Only", "true")
                .body("{\"queries\": [{\"query\": \"INSERT INTO " + t + " VALUES (1)\"}]}")
                .when().post("/sql")
                .then().statusCode(400).body("code", is("25006"));
        neon().header("Neon-Batch-Isolation-Level", "Serializable")
                .body("{\"queries\": [{\"query\": \"SHOW transaction_isolation\"}]}")
                .when().post("/sql")
                .then().statusCode(200).body("results[0].rows[0].transaction_isolation", is("serializable"));
    }

    @Test
    void sqlErrorsCarryPostgresFieldsTheDriverReads() {
        neon().body("{\"query\": \"SELECT * FROM no_such_table_x\", \"params\": []}")
                .when().post("/sql")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/sql-error"))
                .body("message", is("relation \"no_such_table_x\" does not exist"))
                .body("code", is("42P01"))
                .body("severity", is("ERROR"))
                .body("position", is("15"))
                .body("detail", is("relation \"no_such_table_x\" does not exist"));
        neon().body("{\"query\": \"SELEC 1\"}")
                .when().post("/sql")
                .then().statusCode(400).body("code", is("42601")).body("message", containsString("syntax error"));
    }

    @Test
    void aParameterThatDoesNotFitItsTypeIsA22P02() {
        neon().body("{\"query\": \"SELECT $1::int AS n\", \"params\": [\"7x\"]}")
                .when().post("/sql")
                .then().statusCode(400)
                .body("code", is("22P02"))
                .body("message", is("invalid input syntax for type integer: \"7x\""));
    }

    @Test
    void theWrongNumberOfParametersIsRejected() {
        neon().body("{\"query\": \"SELECT $1::int + $2::int\", \"params\": [\"1\"]}")
                .when().post("/sql")
                .then().statusCode(400).body("code", is("08P01")).body("message", containsString("requires 2"));
    }

    @Test
    void badRequestsAreProblemsNamingTheField() {
        given().contentType("application/json").body("{\"query\": \" \"}")
                .when().post("/sql").then().statusCode(400).body("errors.field", hasItem("query"));
        given().contentType("application/json").body("{\"query\": \"SELECT 1\", \"queries\": []}")
                .when().post("/sql").then().statusCode(400).body("errors.field", hasItem("queries"));
        given().contentType("application/json").body("{\"queries\": []}")
                .when().post("/sql").then().statusCode(400).body("errors.field", hasItem("queries"));
        given().contentType("application/json").body("{\"query\": \"SELECT $1\", \"params\": [{\"a\": 1}]}")
                .when().post("/sql").then().statusCode(400).body("errors.field", hasItem("params[0]"));
        given().contentType("application/json").body("{\"queries\": [{\"query\": \"\"}]}")
                .when().post("/sql").then().statusCode(400).body("errors.field", hasItem("queries[0].query"));
        given().contentType("application/json").body("\"just a string\"")
                .when().post("/sql").then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body("")
                .when().post("/sql").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void severalStatementsInOneQueryAreRefusedWithoutRunningAnyOfThem() {
        String t = table();
        SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (id int)");
        neon().body("{\"query\": \"SELECT $1::int; INSERT INTO " + t + " VALUES (1)\", \"params\": [\"1\"]}")
                .when().post("/sql")
                .then().statusCode(400).body("code", is("42601"))
                .body("message", containsString("multiple commands"));
        assertEquals("0", SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + t));
    }

    @Test
    void badHeaderValuesAreRejected() {
        given().contentType("application/json").header("Neon-Array-Mode", "yes please")
                .body("{\"query\": \"SELECT 1\"}")
                .when().post("/sql").then().statusCode(400).body("detail", containsString("Neon-Array-Mode"));
        given().contentType("application/json").header("Neon-Batch-Isolation-Level", "Chaotic")
                .body("{\"queries\": [{\"query\": \"SELECT 1\"}]}")
                .when().post("/sql").then().statusCode(400).body("detail", containsString("Serializable"));
    }

    @Test
    void aStatementWithoutParametersStillWorksForAnyCommand() {
        String t = table();
        neon().body("{\"query\": \"CREATE TABLE " + t + " (id int)\"}")
                .when().post("/sql").then().statusCode(200).body("command", is("CREATE")).body("rows", org.hamcrest.Matchers.empty())
                .body("rowCount", nullValue());
        assertEquals("0", SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + t));
        neon().body("{\"query\": \"SELECT NULL AS x\"}")
                .when().post("/sql").then().statusCode(200).body("rows[0].x", nullValue());
    }
}
