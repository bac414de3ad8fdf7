package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;
import static io.sluice.ratelimiter.Api.assign;
import static io.sluice.ratelimiter.Api.check;
import static io.sluice.ratelimiter.Api.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * The real Redis is stopped: each tier's outage mode decides (test config: free and pro local, standard
 * fail-closed, enterprise fail-open), never a 5xx; readiness says degraded, liveness stays up; after Redis
 * restarts, Redis decides again.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RedisDownTest {

    private final SluiceInfra infra = SluiceInfra.get();

    @AfterEach
    void restore() {
        infra.redis().start();
    }

    @Test
    void eachOutageModeDecidesAndRedisTakesOverAgain() {
        String local = newKey();
        String closed = newKey();
        String open = newKey();
        assign(local, "free", "{\"minute\": null, \"day\": {\"limit\": 3, \"window\": 86400}}");
        assign(closed, "standard", null);
        assign(open, "enterprise", null);
        for (String key : new String[] {local, closed, open}) {
            check(key).then().statusCode(200).header("Sluice-RateLimit-Source", is("redis"));
        }

        infra.redis().stop();

        // local: in-memory buckets of this instance approximate the limit (3 per day here).
        for (int i = 0; i < 3; i++) {
            check(local).then().statusCode(200).header("Sluice-RateLimit-Source", is("local"));
        }
        check(local).then().statusCode(429).header("Sluice-RateLimit-Source", is("local"));
        // fail-closed refuses with 429 and a Retry-After; fail-open allows.
        Response refused = check(closed);
        refused.then().statusCode(429).header("Sluice-RateLimit-Source", is("fail-closed"))
                .contentType("application/problem+json");
        assertThat(refused.header("Retry-After")).isNotNull();
        for (int i = 0; i < 5; i++) {
            check(open).then().statusCode(200).header("Sluice-RateLimit-Source", is("fail-open"));
        }
        assertThat(check(newKey()).statusCode()).isLessThan(500);

        // Health tells the truth: not ready (degraded, with the modes in force), but alive.
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'rate-limiter-decisions' }.data.state", is("degraded"))
                .body("checks.find { it.name == 'rate-limiter-decisions' }.data.'onRedisDown.standard'",
                        is("fail-closed"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("source=\"fail-open\""))
                .body(org.hamcrest.Matchers.containsString("source=\"local\""));

        infra.redis().start();

        // Redis decides again within seconds (its data is gone: the test Redis keeps nothing on restart).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                check(open).then().statusCode(200).header("Sluice-RateLimit-Source", is("redis")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200));
    }
}
