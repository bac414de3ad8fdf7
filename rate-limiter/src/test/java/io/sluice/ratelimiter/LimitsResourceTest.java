package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class LimitsResourceTest {

    private static String check(String key) {
        return "{\"key\": \"" + key + "\"}";
    }

    @Test
    void burstIsAllowedThenTheKeyIsLimitedWithRetryAfter() {
        String key = "k-" + UUID.randomUUID();
        for (int remaining = 2; remaining >= 0; remaining--) {
            given().contentType("application/json").body(check(key))
                    .when().post("/v1/limits/check")
                    .then().statusCode(200)
                    .body("allowed", is(true))
                    .body("remaining", is(remaining));
        }
        given().contentType("application/json").body(check(key))
                .when().post("/v1/limits/check")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", endsWith("/rate-limited"))
                .body("retryAfterSeconds", greaterThan(0));
    }

    @Test
    void keysAreLimitedIndependently() {
        String spent = "k-" + UUID.randomUUID();
        given().contentType("application/json").body("{\"key\": \"" + spent + "\", \"cost\": 3}")
                .when().post("/v1/limits/check").then().statusCode(200).body("remaining", is(0));
        given().contentType("application/json").body(check("k-" + UUID.randomUUID()))
                .when().post("/v1/limits/check").then().statusCode(200).body("remaining", is(2));
    }

    @Test
    void redisNeverStoresTheRawApiKey() {
        String key = "secret-" + UUID.randomUUID();
        given().contentType("application/json").body(check(key))
                .when().post("/v1/limits/check").then().statusCode(200);
        String found = SluiceInfra.get().redis().command("SCAN", "0", "MATCH", "*" + key + "*", "COUNT", "10000");
        // SCAN replies with the cursor followed by the matching keys: the cursor alone means no match.
        org.junit.jupiter.api.Assertions.assertFalse(found.contains(key), "raw API key found in Redis: " + found);
    }

    @Test
    void costOutOfRangeIsA400Problem() {
        given().contentType("application/json").body("{\"key\": \"k\", \"cost\": 0}")
                .when().post("/v1/limits/check")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("cost"));
    }
}
