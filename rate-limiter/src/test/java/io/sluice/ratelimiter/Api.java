package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.sluice.testing.SluiceInfra;

/** Small request builders for the rate limiter's HTTP API in tests. */
final class Api {

    static final String ADMIN = "Bearer test-admin-token";

    private Api() {
    }

    static String newKey() {
        return "k-" + UUID.randomUUID();
    }

    static Response check(String key) {
        return checkJson("{\"key\": \"" + key + "\"}");
    }

    static Response check(String key, long cost) {
        return checkJson("{\"key\": \"" + key + "\", \"cost\": " + cost + "}");
    }

    static Response checkJson(String json) {
        return given().contentType("application/json").body(json).when().post("/v1/ratelimit/check");
    }

    static RequestSpecification admin() {
        return given().header("Authorization", ADMIN);
    }

    /** PUT the key's tier and overrides (JSON object text, or null for none); asserts 200. */
    static void assign(String key, String tier, String overrides) {
        String body = "{\"tier\": \"" + tier + "\"" + (overrides == null ? "" : ", \"overrides\": " + overrides) + "}";
        admin().contentType("application/json").body(body).when().put("/v1/ratelimit/keys/" + key)
                .then().statusCode(200);
    }

    /** One policy "second": {@code limit}/s with {@code burst}; the tier's minute and day policies removed. */
    static String onlyPerSecond(long limit, long burst) {
        return "{\"minute\": null, \"day\": null, \"second\": {\"limit\": " + limit + ", \"window\": 1, \"burst\": "
                + burst + "}}";
    }

    /** Redis keys holding anything about this API key (state or settings). */
    static String redisKeysOf(String apiKey) {
        return SluiceInfra.get().redis().command("SCAN", "0", "MATCH", "*" + RedisKeys.hash(apiKey) + "*", "COUNT",
                "100000");
    }
}
