package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;
import static io.sluice.ratelimiter.Api.admin;
import static io.sluice.ratelimiter.Api.checkJson;
import static io.sluice.ratelimiter.Api.newKey;
import static io.sluice.ratelimiter.Api.redisKeysOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.sluice.testing.SluiceInfraResource;

/** Every bad input of the issue gets a 400 problem+json, and nothing about the key is written to Redis. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class BadInputTest {

    private static ValidatableResponse is400(ValidatableResponse r, String type) {
        return r.statusCode(400).contentType("application/problem+json").body("type", endsWith("/" + type));
    }

    private static void nothingWritten(String key) {
        assertThat(redisKeysOf(key)).isEqualTo("0");
    }

    @Test
    void missingOrBlankKey() {
        is400(checkJson("{\"cost\": 1}").then(), "validation-failed").body("errors[0].field", is("key"));
        is400(checkJson("{\"key\": \"  \"}").then(), "validation-failed").body("errors[0].field", is("key"));
    }

    @Test
    void negativeZeroAndHugeCost() {
        String key = newKey();
        for (String cost : new String[] {"-1", "0", "1001", "9999999999999"}) {
            is400(checkJson("{\"key\": \"" + key + "\", \"cost\": " + cost + "}").then(), "validation-failed")
                    .body("errors[0].field", is("cost"));
        }
        is400(checkJson("{\"key\": \"" + key + "\", \"cost\": \"lots\"}").then(), "malformed-request");
        nothingWritten(key);
    }

    @Test
    void aCostAboveEveryBurstCanNeverPass() {
        String key = newKey();
        Api.assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 5, \"window\": 86400}}");
        is400(checkJson("{\"key\": \"" + key + "\", \"cost\": 6}").then(), "cost-exceeds-burst");
        Api.check(key, 5).then().statusCode(200); // the refusal spent nothing
    }

    @Test
    void malformedAndOversizedBodies() {
        String key = newKey();
        is400(checkJson("{\"key\": \"" + key + "\"").then(), "malformed-request");
        is400(checkJson("[1, 2]").then(), "malformed-request");
        is400(checkJson("{\"key\": \"" + key + "\", \"pad\": \"" + "x".repeat(20_000) + "\"}").then(),
                "body-too-large");
        is400(checkJson("{\"key\": \"" + "k".repeat(300) + "\"}").then(), "validation-failed")
                .body("errors[0].field", is("key"));
        nothingWritten(key);
    }

    @Test
    void unknownTierAndInvalidPolicyOnAKey() {
        String key = newKey();
        is400(admin().contentType("application/json").body("{\"tier\": \"platinum\"}")
                .when().put("/v1/ratelimit/keys/" + key).then(), "unknown-tier");
        is400(admin().contentType("application/json")
                .body("{\"tier\": \"pro\", \"overrides\": {\"minute\": {\"limit\": -5, \"window\": 60}}}")
                .when().put("/v1/ratelimit/keys/" + key).then(), "invalid-policy");
        is400(admin().contentType("application/json")
                .body("{\"tier\": \"pro\", \"overrides\": {\"Bad Name\": {\"limit\": 5, \"window\": 60}}}")
                .when().put("/v1/ratelimit/keys/" + key).then(), "invalid-policy");
        is400(admin().contentType("application/json")
                .body("{\"tier\": \"pro\", \"overrides\": {\"minute\": null, \"day\": null}}")
                .when().put("/v1/ratelimit/keys/" + key).then(), "invalid-policy");
        nothingWritten(key);
    }

    @Test
    void unknownTierOrBadPolicyInTheCatalogue() {
        String before = admin().when().get("/v1/ratelimit/tiers").then().statusCode(200).extract().path("version");
        is400(admin().contentType("application/json").body("{\"gold\": {\"policies\": {\"minute\": "
                + "{\"limit\": 5, \"window\": 60}}}}").when().put("/v1/ratelimit/tiers").then(), "unknown-tier");
        is400(admin().contentType("application/json").body("{\"free\": {\"policies\": {}}}")
                .when().put("/v1/ratelimit/tiers").then(), "invalid-policy");
        is400(admin().contentType("application/json").body("{\"free\": {\"policies\": {\"minute\": "
                + "{\"limit\": 5, \"window\": 60}}, \"onRedisDown\": \"maybe\"}}")
                .when().put("/v1/ratelimit/tiers").then(), "invalid-policy");
        admin().when().get("/v1/ratelimit/tiers").then().body("version", is(before));
    }

    @Test
    void forwardAuthWithoutKeyOrWithBadCost() {
        given().when().get("/v1/ratelimit/forward-auth").then().statusCode(401)
                .contentType("application/problem+json");
        is400(given().header("X-Api-Key", newKey()).header("X-RateLimit-Cost", "x")
                .when().get("/v1/ratelimit/forward-auth").then(), "validation-failed");
        is400(given().header("X-Api-Key", newKey()).queryParam("denyStatus", "500")
                .when().get("/v1/ratelimit/forward-auth").then(), "validation-failed");
    }

    @Test
    void badOffendersWindow() {
        is400(admin().queryParam("window", "2d").when().get("/v1/ratelimit/offenders").then(), "validation-failed");
        is400(admin().queryParam("window", "25h").when().get("/v1/ratelimit/offenders").then(), "validation-failed");
    }
}
