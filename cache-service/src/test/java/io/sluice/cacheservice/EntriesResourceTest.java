package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class EntriesResourceTest {

    @Test
    void aValuePutIsReadBackWithItsTtlAndIsGoneAfterDelete() {
        String key = "user-" + UUID.randomUUID();
        given().contentType("application/json").body("{\"value\": {\"name\": \"Ann\", \"n\": [1, 2]}, \"ttlSeconds\": 60}")
                .when().put("/v1/cache/profiles/" + key)
                .then().statusCode(200).body("ttlSeconds", is(60));

        given().when().get("/v1/cache/profiles/" + key)
                .then().statusCode(200)
                .body("value.name", is("Ann"))
                .body("value.n[1]", is(2))
                .body("ttlSeconds", allOf(greaterThan(50), lessThanOrEqualTo(60)));

        // The entry really lives in Redis, under the documented prefix and with a TTL.
        String ttl = SluiceInfra.get().redis().command("TTL", "sluice:cacheservice:profiles:{" + key + "}");
        assertEquals(true, Long.parseLong(ttl) > 0, "TTL " + ttl);

        given().when().delete("/v1/cache/profiles/" + key).then().statusCode(204);
        given().when().get("/v1/cache/profiles/" + key)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", endsWith("/cache-miss"));
    }

    @Test
    void aBadNamespaceIsA400Problem() {
        given().contentType("application/json").body("{\"value\": 1}")
                .when().put("/v1/cache/Bad*Namespace/k")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/validation-failed"));
    }

    @Test
    void aTtlBeyondTheMaximumIsRejectedAndNothingIsWritten() {
        String key = "k-" + UUID.randomUUID();
        given().contentType("application/json").body("{\"value\": 1, \"ttlSeconds\": 99999999}")
                .when().put("/v1/cache/ns/" + key)
                .then().statusCode(400).contentType("application/problem+json");
        given().when().get("/v1/cache/ns/" + key).then().statusCode(404);
    }
}
