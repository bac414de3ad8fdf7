package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;
import static io.sluice.ratelimiter.Api.assign;
import static io.sluice.ratelimiter.Api.newKey;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class ForwardAuthTest {

    @Test
    void keyFromXApiKeyOrBearerSharesOneAllowance() {
        String key = newKey();
        assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 2, \"window\": 86400}}");
        given().header("X-Api-Key", key).when().get("/v1/ratelimit/forward-auth")
                .then().statusCode(200).body(is(emptyString())).header("RateLimit", notNullValue())
                .header("Sluice-RateLimit-Source", is("redis"));
        given().header("Authorization", "Bearer " + key).when().get("/v1/ratelimit/forward-auth")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + key).when().get("/v1/ratelimit/forward-auth")
                .then().statusCode(429).header("Retry-After", notNullValue())
                .body("type", endsWith("/quota-exceeded"));
        given().header("X-Api-Key", key).queryParam("denyStatus", 403).when().get("/v1/ratelimit/forward-auth")
                .then().statusCode(403).header("Retry-After", notNullValue());
    }

    @Test
    void costComesFromAHeader() {
        String key = newKey();
        given().header("X-Api-Key", key).header("X-RateLimit-Cost", "7").when().get("/v1/ratelimit/forward-auth")
                .then().statusCode(200).header("RateLimit", org.hamcrest.Matchers.startsWith("\"minute\";r=3;"));
    }
}
