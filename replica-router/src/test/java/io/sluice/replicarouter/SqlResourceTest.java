package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SqlResourceTest {

    private static String sql(String query, String paramsJson) {
        return "{\"query\": \"" + query + "\", \"params\": " + paramsJson + "}";
    }

    @Test
    void aWriteLandsOnThePrimaryAndParametersAreBound() {
        String table = "r_" + UUID.randomUUID().toString().replace("-", "");
        SluiceInfra.get().primary().execute("CREATE TABLE " + table + " (id int primary key, name text)");

        given().contentType("application/json").body(sql("INSERT INTO " + table + " VALUES ($1, $2)", "[7, \"Ann\"]"))
                .when().post("/sql")
                .then().statusCode(200).body("rowCount", is(1));

        org.junit.jupiter.api.Assertions.assertEquals("Ann",
                SluiceInfra.get().primary().queryValue("SELECT name FROM " + table + " WHERE id = 7"));

        given().contentType("application/json").body(sql("SELECT id, name FROM " + table + " WHERE id = $1", "[7]"))
                .when().post("/sql")
                .then().statusCode(200)
                .body("command", is("SELECT"))
                .body("rowCount", is(1))
                .body("rows[0].name", is("Ann"))
                .body("fields.name", org.hamcrest.Matchers.contains("id", "name"));
    }

    @Test
    void invalidSqlIsA400WithTheSqlState() {
        given().contentType("application/json").body(sql("SELEC 1", "[]"))
                .when().post("/sql")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/sql-error"))
                .body("code", is("42601"))
                .body("detail", containsString("syntax error"));
    }

    @Test
    void aMissingTableIsA400NotA500() {
        given().contentType("application/json").body(sql("SELECT * FROM no_such_table_" + System.nanoTime(), "[]"))
                .when().post("/sql")
                .then().statusCode(400).body("code", is("42P01"));
    }

    @Test
    void anEmptyQueryIsRejected() {
        given().contentType("application/json").body(sql(" ", "[]"))
                .when().post("/sql")
                .then().statusCode(400).body("errors[0].field", is("query"));
    }
}
