package io.sluice.querymonitor.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.testing.SluiceInfraResource;

/**
 * EXPLAIN (ANALYZE executes the retained statement) and index verifications run statements on a monitored
 * database: they need the admin token (query-monitor.admin.token; the test profile's is console-test-token).
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class AdminTokenTest {

    private static final String TOKEN = "console-test-token";

    private static RequestSpecification with(String authorization) {
        RequestSpecification request = given();
        return authorization.isEmpty() ? request : request.header("Authorization", authorization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer wrong-token", "Basic Y29uc29sZS10ZXN0LXRva2Vu", "Bearer ", "console-test-token"})
    void explainAndVerificationWithoutTheRightTokenAre401(String authorization) {
        String fp = reported("select " + UUID.randomUUID().hashCode() + " + 1 as refused");
        with(authorization).queryParam("analyze", "true").when().post("/v1/queries/" + fp + "/explain").then()
                .statusCode(401).contentType("application/problem+json").body("type", endsWith("/unauthorized"))
                .header("WWW-Authenticate", "Bearer realm=\"sluice\"");
        with(authorization).contentType(ContentType.JSON)
                .body("{\"index\":\"i_refused\",\"fingerprints\":[\"" + fp + "\"]}")
                .when().post("/v1/indexes/verifications").then().statusCode(401)
                .contentType("application/problem+json").body("type", endsWith("/unauthorized"));
    }

    @Test
    void withTheAdminTokenExplainAnalyzeAndVerificationWork() {
        String fp = reported("select " + Math.abs(UUID.randomUUID().hashCode()) + " + 1 as allowed");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> with("Bearer " + TOKEN)
                .queryParam("analyze", "true").when().post("/v1/queries/" + fp + "/explain").then().statusCode(200)
                .body("fingerprint", is(fp)).body("analyze", is(true)));
        with("Bearer " + TOKEN).contentType(ContentType.JSON)
                .body("{\"index\":\"i_allowed\",\"fingerprints\":[\"" + fp + "\"]}")
                .when().post("/v1/indexes/verifications").then().statusCode(201).body("index", is("i_allowed"));
    }

    /** Reports one executable sample of a read-only statement, so its fingerprint has something to explain. */
    private static String reported(String sql) {
        given().contentType(ContentType.JSON)
                .body("{\"samples\":[{\"sql\":\"" + sql + "\",\"database\":\"primary\",\"duration_ms\":3}]}")
                .when().post("/v1/queries/samples").then().statusCode(202);
        return SqlNormalizer.fingerprint(sql);
    }
}
