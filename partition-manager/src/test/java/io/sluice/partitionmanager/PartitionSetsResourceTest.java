package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class PartitionSetsResourceTest extends AsOperator {

    @Test
    void thePlannedDdlRunsOnRealPostgres() {
        var primary = SluiceInfra.get().primary();
        String table = "plan_" + java.util.UUID.randomUUID().toString().replace("-", "");
        primary.execute("CREATE TABLE " + table + " (id bigint, created_at timestamptz NOT NULL)"
                + " PARTITION BY RANGE (created_at)");
        var ddl = given().contentType("application/json")
                .body("{\"table\": \"" + table + "\", \"interval\": \"month\", \"premake\": 2}")
                .when().post("/v1/partition-sets/plan")
                .then().statusCode(200)
                .body("partitions", hasSize(3))
                .extract().jsonPath().<String>getList("partitions.ddl");
        ddl.forEach(primary::execute);
        // The plan is a dry run until applied; applied, it gives exactly three attached partitions.
        String count = primary.queryValue(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'public." + table + "'::regclass");
        org.junit.jupiter.api.Assertions.assertEquals("3", count);
    }

    @Test
    void anInjectionAttemptInTheTableNameIsA400() {
        given().contentType("application/json")
                .body("{\"table\": \"x; DROP TABLE users\", \"interval\": \"day\"}")
                .when().post("/v1/partition-sets/plan")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/validation-failed"))
                .body("detail", containsString("not a valid identifier"));
    }

    @Test
    void anUnknownIntervalNamesTheAllowedOnes() {
        given().contentType("application/json")
                .body("{\"table\": \"t\", \"interval\": \"fortnight\"}")
                .when().post("/v1/partition-sets/plan")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("interval"))
                .body("detail", containsString("MONTH"));
    }
}
