package io.sluice.querymonitor.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfraResource;

/**
 * The console proxy lends no token: query-monitor has an admin token configured (the test profile's), yet a caller
 * without one is refused by the operator endpoint behind the proxy, and the upstream never sees the configured
 * token unless the caller sent it.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
@WithTestResource(OperatorServiceResource.class)
class ConsoleProxyAuthTest {

    private static final String PATH = "/console/api/proxy/rate-limiter/v1/ratelimit/offenders?window=1h&limit=10";

    @Test
    void withoutATokenAnOperatorReadThroughTheProxyIs401AndNoTokenIsSentUpstream() {
        int before = OperatorServiceResource.RECEIVED.size();
        given().when().get(PATH).then().statusCode(401).contentType("application/problem+json")
                .body("type", endsWith("/unauthorized"));
        given().header("Authorization", "Bearer not-the-token").when().get(PATH).then().statusCode(401)
                .contentType("application/problem+json");
        assertThat(OperatorServiceResource.RECEIVED.subList(before, OperatorServiceResource.RECEIVED.size()))
                .containsExactly("-", "Bearer not-the-token");
    }

    @Test
    void withTheOperatorsOwnTokenItIsPassedOnAndTheReadWorks() {
        int before = OperatorServiceResource.RECEIVED.size();
        given().header("Authorization", "Bearer " + OperatorServiceResource.TOKEN).when().get(PATH).then()
                .statusCode(200).contentType("application/json").body("offenders", hasSize(0));
        assertThat(OperatorServiceResource.RECEIVED.subList(before, OperatorServiceResource.RECEIVED.size()))
                .containsExactly("Bearer " + OperatorServiceResource.TOKEN);
    }
}
