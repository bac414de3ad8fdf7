package io.sluice.replicarouter;


import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.sluice.testing.SecretsInLogs;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * Secrets never reach the log: a login password sent in Neon-Connection-String (accepted and refused), a client
 * bearer token and the admin token (right and wrong), bind-parameter values and SQL literal values, on the success
 * paths and the error paths (a failing statement, a refused login, a slow query).
 */
@QuarkusTest
@TestProfile(SecretsNotLoggedTest.Secrets.class)
@WithTestResource(SluiceInfraResource.class)
class SecretsNotLoggedTest {

    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static final String CLIENT_TOKEN = "client-" + UUID.randomUUID();

    /** A login with a password, and a client token /sql requires. */
    public static class Secrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replica-router.logins.secret.database", "sluice_secret",
                    "replica-router.logins.secret.username", "sluice_secret_user",
                    "replica-router.logins.secret.password", PASSWORD,
                    "replica-router.auth.client-tokens", CLIENT_TOKEN);
        }
    }

    @BeforeAll
    static void databaseAndRole() {
        var primary = SluiceInfra.get().primary();
        if ("1".equals(primary.queryValue("SELECT count(*) FROM pg_roles WHERE rolname = 'sluice_secret_user'"))) {
            primary.execute("ALTER ROLE sluice_secret_user PASSWORD '" + PASSWORD + "'");
        } else {
            primary.execute("CREATE ROLE sluice_secret_user LOGIN PASSWORD '" + PASSWORD + "'");
            primary.execute("CREATE DATABASE sluice_secret OWNER sluice_secret_user");
        }
        SluiceInfra.get().awaitReplayed(SluiceInfra.get().replica(), Duration.ofSeconds(10));
    }

    private final SecretsInLogs logs = new SecretsInLogs();

    private RequestSpecification request(String authorization) {
        return logs.request(authorization);
    }

    @Test
    void passwordsTokensAndParameterValuesNeverReachTheLog() {
        String bind = "bind-" + UUID.randomUUID();
        String literal = "literal-" + UUID.randomUUID();
        String wrongPassword = "wrongpw-" + UUID.randomUUID();
        String wrongToken = "wrongtoken-" + UUID.randomUUID();
        String wrongAdmin = "wrongadmin-" + UUID.randomUUID();
        String login = "postgresql://sluice_secret_user:" + PASSWORD + "@db.example/sluice_secret";
        String bearer = "Bearer " + CLIENT_TOKEN;

        // Reads and writes with the login, a bind parameter and a literal (success paths).
        request(bearer).header("Neon-Connection-String", login)
                .body("{\"query\":\"SELECT $1::text AS v, '" + literal + "' AS w\",\"params\":[\"" + bind + "\"]}")
                .post("/sql").then().statusCode(200);
        request(bearer).header("Neon-Connection-String", login)
                .body("{\"query\":\"CREATE TABLE IF NOT EXISTS secrets_t (v text)\"}").post("/sql").then().statusCode(200);
        request(bearer).header("Neon-Connection-String", login)
                .body("{\"query\":\"INSERT INTO secrets_t VALUES ($1), ('" + literal + "')\",\"params\":[\"" + bind + "\"]}")
                .post("/sql").then().statusCode(200);
        // A slow statement carrying both (slow-query and pool paths), and a batch.
        request(bearer).body("{\"query\":\"SELECT pg_sleep(0.15), $1::text AS v, '" + literal + "' AS w\",\"params\":[\""
                + bind + "\"]}").post("/sql").then().statusCode(200);
        request(bearer).body("{\"queries\":[{\"query\":\"SELECT $1::text\",\"params\":[\"" + bind + "\"]},"
                + "{\"query\":\"SELECT '" + literal + "'\"}]}").post("/sql").then().statusCode(200);
        // Error paths: a failing statement with the values, a type error on the bind value, a bulk load.
        request(bearer).body("{\"query\":\"INSERT INTO no_such_table_secrets VALUES ($1, '" + literal + "')\",\"params\":[\""
                + bind + "\"]}").post("/sql").then().statusCode(400);
        request(bearer).body("{\"query\":\"SELECT $1::int + 1\",\"params\":[\"" + bind + "\"]}").post("/sql").then()
                .statusCode(400);
        request(bearer).body("{\"query\":\"SELECT $1::int\",\"rows\":[[\"" + bind + "\"]]}").post("/v1/bulk").then()
                .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        // Refused credentials: a wrong login password, a wrong client token, a wrong and a right admin token.
        request(bearer).header("Neon-Connection-String", "postgresql://sluice_secret_user:" + wrongPassword
                + "@db.example/sluice_secret").body("{\"query\":\"SELECT 1\"}").post("/sql").then().statusCode(403);
        request("Bearer " + wrongToken).body("{\"query\":\"SELECT 1\"}").post("/sql").then().statusCode(401);
        request("Bearer " + wrongAdmin).body("{\"maxSize\": 5}").put("/v1/admin/pools/replica1").then().statusCode(401);
        request("Bearer test-admin-token").body("{\"promote\":\"replica1\",\"dry_run\":true}")
                .post("/v1/admin/failover").then().statusCode(org.hamcrest.Matchers.lessThan(500));

        logs.assertNotLogged(List.of(PASSWORD, CLIENT_TOKEN, bind, literal, wrongPassword,
                wrongToken, wrongAdmin, "test-admin-token"));
    }
}
