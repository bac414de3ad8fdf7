package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class BadInputTest {

    private static void problem(Response r, int status, String type) {
        r.then().statusCode(status).contentType("application/problem+json").body("type", endsWith("/" + type));
    }

    @Test
    void nonReadSqlIsA400AndRunsNothing() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        problem(query(ns, "INSERT INTO " + t + " VALUES (3, 'x')").post(), 400, "not-read-only");
        problem(query(ns, "UPDATE " + t + " SET v = 'x'").post(), 400, "not-read-only");
        problem(query(ns, "SELECT nextval('s')").post(), 400, "not-read-only");
        problem(query(ns, "SELECT 1; DELETE FROM " + t).post(), 400, "not-read-only");
        problem(query(ns, "WITH d AS (DELETE FROM " + t + " RETURNING *) SELECT * FROM d").post(), 400, "not-read-only");
        problem(query(ns, "SELECT * FROM " + t + " FOR UPDATE").post(), 400, "not-read-only");
        assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("2");
    }

    @Test
    void badNamespacesKeysAndTagsAre400() {
        problem(query("Bad*Namespace", "SELECT 1").post(), 400, "validation-failed");
        problem(query("x".repeat(64), "SELECT 1").post(), 400, "validation-failed");
        problem(given().contentType("application/json").body("{\"value\": 1}").when()
                .put("/v1/cache/entries/Bad*Ns/k"), 400, "validation-failed");
        problem(given().contentType("application/json").body("{\"value\": 1}").when()
                .put("/v1/cache/entries/ns/" + "k".repeat(513)), 400, "validation-failed");
        problem(given().urlEncodingEnabled(false).when().get("/v1/cache/entries/ns/a%7Bb%7D"), 400, "validation-failed");
        problem(query("ns", "SELECT 1").tags("bad tag with spaces").post(), 400, "validation-failed");
    }

    @Test
    void ttlsOfZeroOrBeyondTheMaximumAre400AndNothingIsWritten() {
        String key = "k-" + UUID.randomUUID();
        problem(given().contentType("application/json").body("{\"value\": 1, \"ttl_s\": 0}").when()
                .put("/v1/cache/entries/ns/" + key), 400, "validation-failed");
        problem(given().contentType("application/json").body("{\"value\": 1, \"ttl_s\": 99999999}").when()
                .put("/v1/cache/entries/ns/" + key), 400, "validation-failed");
        assertThat(given().when().get("/v1/cache/entries/ns/" + key).statusCode()).isEqualTo(404);
        problem(query("ns", "SELECT 1").ttl(0).post(), 400, "validation-failed");
        problem(query("ns", "SELECT 1").ttl(99999999).post(), 400, "validation-failed");
        problem(query("ns", "SELECT 1").staleIfError(-1).post(), 400, "validation-failed");
        problem(query("ns", "SELECT 1").staleWhileRevalidate(99999999).post(), 400, "validation-failed");
    }

    @Test
    void anOversizedValueIsA400AndNotStored() {
        String key = "big-" + UUID.randomUUID();
        String big = "x".repeat(600_000);
        Response r = given().contentType("application/json").body("{\"value\": \"" + big + "\"}").when()
                .put("/v1/cache/entries/ns/" + key);
        problem(r, 400, "value-too-large");
        assertThat(SluiceInfra.get().redis().command("EXISTS", "sluice:cacheservice:e:ns:{" + key + "}")).isEqualTo("0");
    }

    @Test
    void malformedJsonAndMissingFieldsAre400() {
        problem(given().contentType("application/json").body("{\"namespace\": ").when().post("/v1/cache/query"), 400,
                "malformed-request");
        problem(given().contentType("application/json").body("{\"namespace\": \"ns\"}").when()
                .post("/v1/cache/query"), 400, "validation-failed");
        problem(given().contentType("application/json").body("{\"tags\": \"notalist\"").when()
                .post("/v1/cache/invalidate"), 400, "malformed-request");
        problem(given().contentType("application/json").body("{}").when().post("/v1/cache/invalidate"), 400,
                "validation-failed");
        problem(given().contentType("application/json").body("{\"queries\": []}").when().post("/v1/cache/warm"),
                400, "validation-failed");
    }

    @Test
    void sqlThePostgresRefusesIsA400WithItsCode() {
        query(CacheApi.namespace(), "SELECT * FROM no_such_table_" + UUID.randomUUID().toString().substring(0, 8))
                .post().then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/sql-error")).body("code", containsString("42P01"));
    }

    @Test
    void adminEndpointsNeedTheToken() {
        problem(given().when().delete("/v1/cache/namespaces/ns"), 401, "unauthorized");
        problem(given().header("Authorization", "Bearer wrong").when().delete("/v1/cache/namespaces/ns"), 401,
                "unauthorized");
        problem(given().contentType("application/json").body("{\"tables\": [\"x\"]}").when()
                .post("/v1/cache/admin/notify-triggers"), 401, "unauthorized");
        problem(given().header("Authorization", CacheApi.ADMIN).contentType("application/json")
                .body("{\"tables\": [\"x; DROP TABLE y\"]}").when().post("/v1/cache/admin/notify-triggers"), 400,
                "validation-failed");
    }
}
