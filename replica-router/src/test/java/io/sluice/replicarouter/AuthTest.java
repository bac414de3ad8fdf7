package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@TestProfile(AuthProfile.class)
@WithTestResource(SluiceInfraResource.class)
class AuthTest {

    @Test
    void sqlNeedsOneOfTheClientTokens() {
        post(sql("SELECT 1")).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", endsWith("/unauthorized"));
        post(sql("SELECT 1").header("Authorization", "Bearer wrong")).then().statusCode(401)
                .body(not(containsString("wrong")));
        post(sql("SELECT 1").header("Authorization", "Bearer token-b")).then().statusCode(200);
    }

    @Test
    void healthAndMetricsStayOpenForProbes() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
