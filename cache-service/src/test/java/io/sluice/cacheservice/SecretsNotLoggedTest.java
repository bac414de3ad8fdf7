package io.sluice.cacheservice;


import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.testing.SecretsInLogs;
import io.sluice.testing.SluiceInfraResource;

/**
 * Parameter values, SQL literals, cache keys in paths and the admin token never reach the log: cached queries
 * (miss, hit, a failing one), app values read and written by key, a flush with the right and a wrong token.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SecretsNotLoggedTest {

    private final SecretsInLogs logs = new SecretsInLogs();

    private RequestSpecification request(String authorization) {
        return logs.request(authorization);
    }

    @Test
    void parameterValuesKeysAndTokensNeverReachTheLog() {
        String bind = "bind-" + UUID.randomUUID();
        String literal = "literal-" + UUID.randomUUID();
        String key = "session-" + UUID.randomUUID();
        String wrongAdmin = "wrongadmin-" + UUID.randomUUID();
        String ns = "secrets" + UUID.randomUUID().toString().substring(0, 8);
        String query = "{\"namespace\":\"" + ns + "\",\"sql\":\"SELECT $1::text AS v, '" + literal
                + "' AS w\",\"params\":[\"" + bind + "\"],\"ttl_s\":60}";

        request(null).body(query).post("/v1/cache/query").then().statusCode(200);
        request(null).body(query).post("/v1/cache/query").then().statusCode(200);
        request(null).body("{\"namespace\":\"" + ns + "\",\"sql\":\"SELECT * FROM no_such_table_secrets WHERE v = $1 OR v = '"
                + literal + "'\",\"params\":[\"" + bind + "\"]}").post("/v1/cache/query").then().statusCode(400);
        request(null).body("{\"value\":{\"token\":\"" + bind + "\"},\"ttl_s\":60}").put("/v1/cache/entries/" + ns + "/" + key)
                .then().statusCode(200);
        request(null).get("/v1/cache/entries/" + ns + "/" + key).then().statusCode(200);
        request(null).get("/v1/cache/entries/" + ns + "/" + key + "-missing").then().statusCode(404);
        request(null).delete("/v1/cache/entries/" + ns + "/" + key).then().statusCode(204);
        request("Bearer " + wrongAdmin).delete("/v1/cache/namespaces/" + ns).then().statusCode(401);
        request("Bearer test-admin-token").delete("/v1/cache/namespaces/" + ns).then().statusCode(200);

        logs.assertNotLogged(List.of(bind, literal, key, wrongAdmin, "test-admin-token"));
    }
}
