package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sluice.testing.SluiceInfraResource;

/** State-changing endpoints refuse a missing or wrong admin token before doing anything; reads need none. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class AdminTokenTest {

    @BeforeEach
    @AfterEach
    void noDefaultToken() {
        RestAssured.requestSpecification = null;
    }

    @Test
    void everyStateChangingEndpointNeedsTheAdminToken() {
        String body = "{\"column\": \"created_at\", \"interval\": \"daily\", \"premake\": 2}";
        given().contentType("application/json").body(body).when().put("/v1/partition-sets/public.never_made")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"));
        given().contentType("application/json").body(body).header("Authorization", "Bearer wrong")
                .when().put("/v1/partition-sets/public.never_made").then().statusCode(401);
        given().when().delete("/v1/partition-sets/public.never_made").then().statusCode(401);
        given().when().post("/v1/maintenance").then().statusCode(401);
        given().when().post("/v1/partition-sets/public.never_made/maintenance").then().statusCode(401);
        given().when().post("/v1/partition-sets/public.never_made/evacuate").then().statusCode(401);
        given().contentType("application/json").body("{\"into\": \"original\"}")
                .when().post("/v1/archives/x/restore").then().statusCode(401)
                .body("type", endsWith("/unauthorized"));
        given().contentType("application/json").body("{}").when().post("/v1/conversions").then().statusCode(401);
        given().when().post("/v1/conversions/x/resume").then().statusCode(401);
        // Nothing was created by the refused PUT.
        given().when().get("/v1/partition-sets/public.never_made").then().statusCode(404);
    }

    @Test
    void readsAndThePlannerNeedNoToken() {
        given().when().get("/v1/partition-sets").then().statusCode(200);
        given().when().get("/v1/runs").then().statusCode(200);
        given().when().get("/v1/archives").then().statusCode(200);
        given().contentType("application/json")
                .body("{\"schema\": \"public\", \"table\": \"message\", \"interval\": \"month\", \"premake\": 2}")
                .when().post("/v1/partition-sets/plan").then().statusCode(200);
    }
}
