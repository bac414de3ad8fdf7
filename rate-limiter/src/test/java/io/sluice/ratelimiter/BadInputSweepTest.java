package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sluice.testing.BadInputSweep;
import io.sluice.testing.BadInputSweep.Endpoint;
import io.sluice.testing.SluiceInfraResource;

/** The bad-input sweep (test-harness {@link BadInputSweep}) over every JSON endpoint of rate-limiter. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class BadInputSweepTest {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final String[] BAD_ADMIN = {"Bearer", "Bearer wrong-token", "Basic dGVzdDp0ZXN0", "Bearer " + "x".repeat(5000),
        "bearer  test-admin-token extra"};
    private static int sent;

    private static String base() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    private static String keyStatus(String key) {
        return given().header("Authorization", ADMIN).get("/v1/ratelimit/keys/" + key).then().statusCode(200)
                .extract().path("policies").toString();
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        given().contentType("application/json").body("{\"key\":\"sweep-typo\",\"cots\":1}").post("/v1/ratelimit/check")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/malformed-request"))
                .body("errors[0].field", org.hamcrest.Matchers.is("cots"))
                .body("errors[0].message", org.hamcrest.Matchers.is("is not a field of this request"));
    }

    @Test
    void check() {
        String key = "sweep-" + UUID.randomUUID();
        sent += BadInputSweep.sweep(base(), Endpoint.of("POST", "/v1/ratelimit/check")
                .body("{\"key\":\"" + key + "\",\"cost\":1,\"resource\":\"orders\"}")
                .state(() -> keyStatus(key) + given().header("Authorization", ADMIN).queryParam("resource", "orders")
                        .get("/v1/ratelimit/keys/" + key).then().extract().path("policies")));
    }

    @Test
    void keySettings() {
        String key = "sweep-" + UUID.randomUUID();
        sent += BadInputSweep.sweep(base(), Endpoint.of("PUT", "/v1/ratelimit/keys/{}").pathValues(key).badPathValues("%20", "a%09b")
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN)
                .body("{\"tier\":\"pro\",\"overrides\":{\"minute\":{\"limit\":100,\"window\":60,\"burst\":20}}}")
                .state(() -> given().header("Authorization", ADMIN).get("/v1/ratelimit/keys/" + key).then()
                        .statusCode(200).extract().path("tier")));
    }

    @Test
    void tiers() {
        // The valid request puts back the pro tier as it is, so the sweep changes no other test's limits.
        String body = "{\"pro\":" + toJson(given().header("Authorization", ADMIN).get("/v1/ratelimit/tiers").then()
                .statusCode(200).extract().jsonPath().getMap("tiers.pro")) + "}";
        sent += BadInputSweep.sweep(base(), Endpoint.of("PUT", "/v1/ratelimit/tiers")
                .header("Authorization", ADMIN).badHeader("Authorization", BAD_ADMIN).body(body)
                .state(() -> given().header("Authorization", ADMIN).get("/v1/ratelimit/tiers").then().statusCode(200)
                        .extract().path("tiers").toString()));
    }

    private static String toJson(Object o) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void count() {
        System.out.println("BAD-INPUT-SWEEP rate-limiter: " + sent + " malformed requests, all 4xx problem+json");
    }
}
