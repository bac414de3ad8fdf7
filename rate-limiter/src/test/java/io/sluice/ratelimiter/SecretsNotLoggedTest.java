package io.sluice.ratelimiter;


import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.testing.SecretsInLogs;
import io.sluice.testing.SluiceInfraResource;

/**
 * API keys and tokens never reach the log: a key checked in a body, through forward-auth (X-Api-Key and Bearer),
 * until it is limited (429), and read, changed and reset by an operator through the key's path; the admin token
 * right and wrong.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SecretsNotLoggedTest {

    private static final String ADMIN = "test-admin-token";

    private final SecretsInLogs logs = new SecretsInLogs();

    private RequestSpecification request(String authorization) {
        return logs.request(authorization);
    }

    @Test
    void apiKeysAndTokensNeverReachTheLog() {
        String key = "apikey-" + UUID.randomUUID();
        String headerKey = "apikey-" + UUID.randomUUID();
        String bearerKey = "apikey-" + UUID.randomUUID();
        String wrongAdmin = "wrongadmin-" + UUID.randomUUID();

        request("Bearer " + ADMIN).body("{\"tier\":\"free\",\"overrides\":{\"minute\":{\"limit\":2,\"window\":60,\"burst\":2}}}")
                .put("/v1/ratelimit/keys/" + key).then().statusCode(200);
        request(null).body("{\"key\":\"" + key + "\",\"resource\":\"orders\"}").post("/v1/ratelimit/check").then()
                .statusCode(200);
        request(null).body("{\"key\":\"" + key + "\",\"cost\":2}").post("/v1/ratelimit/check").then().statusCode(200);
        request(null).body("{\"key\":\"" + key + "\"}").post("/v1/ratelimit/check").then().statusCode(429);
        request(null).header("X-Api-Key", headerKey).get("/v1/ratelimit/forward-auth").then().statusCode(200);
        request("Bearer " + bearerKey).get("/v1/ratelimit/forward-auth").then().statusCode(200);
        request("Bearer " + ADMIN).get("/v1/ratelimit/keys/" + key).then().statusCode(200);
        request("Bearer " + ADMIN).queryParam("resource", "orders").delete("/v1/ratelimit/keys/" + key).then()
                .statusCode(204);
        request("Bearer " + wrongAdmin).get("/v1/ratelimit/keys/" + key).then().statusCode(401);
        request("Bearer " + ADMIN).get("/v1/ratelimit/offenders?window=1h&limit=10").then().statusCode(200);

        logs.assertNotLogged(List.of(key, headerKey, bearerKey, wrongAdmin, ADMIN));
    }
}
