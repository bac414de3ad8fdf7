package io.sluice.querymonitor.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sluice.testing.SluiceInfraResource;

/** Without a configured admin token, no console action, EXPLAIN or verification is possible, whatever is sent. */
@QuarkusTest
@TestProfile(ConsoleActionsDisabledTest.NoToken.class)
@WithTestResource(SluiceInfraResource.class)
@WithTestResource(SilentServiceResource.class)
class ConsoleActionsDisabledTest {

    public static class NoToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("query-monitor.admin.token", "");
        }
    }

    @Test
    void actionsAre403() {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer console-test-token")
                .body("{\"confirm\":true,\"namespace\":\"users\"}")
                .when().post("/console/api/actions/cache-service.flush-namespace").then().statusCode(403)
                .contentType("application/problem+json").body("type", endsWith("/console-actions-disabled"));
    }

    @Test
    void explainAndVerificationsAre403() {
        given().header("Authorization", "Bearer console-test-token")
                .when().post("/v1/queries/ffffffffffffffff/explain").then().statusCode(403)
                .contentType("application/problem+json").body("type", endsWith("/forbidden"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer console-test-token")
                .body("{\"index\":\"i\",\"fingerprints\":[\"ffffffffffffffff\"]}")
                .when().post("/v1/indexes/verifications").then().statusCode(403)
                .contentType("application/problem+json").body("type", endsWith("/forbidden"));
    }
}
