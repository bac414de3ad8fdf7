package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;
import static io.sluice.ratelimiter.Api.admin;
import static io.sluice.ratelimiter.Api.assign;
import static io.sluice.ratelimiter.Api.check;
import static io.sluice.ratelimiter.Api.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfraResource;

/** The operator API (RB-14/15/16, tiers, shadow mode) behind the admin token. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class OperatorApiTest {

    @Test
    void operatorEndpointsNeedTheAdminToken() {
        given().when().get("/v1/ratelimit/keys/x").then().statusCode(401).body("type", endsWith("/unauthorized"));
        given().header("Authorization", "Bearer wrong").when().get("/v1/ratelimit/tiers").then().statusCode(401);
        given().when().get("/v1/ratelimit/offenders").then().statusCode(401);
        // The check API itself needs none.
        check(newKey()).then().statusCode(200);
    }

    @Test
    void statusShowsRemainingWithoutConsuming() {
        String key = newKey();
        check(key, 4).then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            admin().when().get("/v1/ratelimit/keys/" + key).then().statusCode(200)
                    .body("tier", is("free"))
                    .body("keyHash", is(RedisKeys.hash(key)))
                    .body("policies.find { it.name == 'day' }.remaining", is(996));
        }
        check(key).then().statusCode(200).body("policies.find { it.name == 'day' }.remaining", is(995));
    }

    @Test
    void aTierChangeAppliesOnTheNextRequestWithTheAllowanceCarriedOver() {
        String key = newKey();
        check(key, 5).then().statusCode(200).body("policies[0].remaining", is(5)); // free: burst 10, half used
        assign(key, "standard", null);
        // Standard's minute burst is 50: half of it remains (less this request), not a fresh 50.
        int remaining = check(key).then().statusCode(200).body("tier", is("standard"))
                .extract().path("policies.find { it.name == 'minute' }.remaining");
        assertThat(remaining).isBetween(23, 26);
        // Back down to free: the used share carries over again, never resetting to full.
        assign(key, "free", null);
        int afterDowngrade = check(key).then().statusCode(200).body("tier", is("free"))
                .extract().path("policies.find { it.name == 'minute' }.remaining");
        assertThat(afterDowngrade).isBetween(3, 5);
    }

    @Test
    void deleteResetsTheCountersButKeepsTheTier() {
        String key = newKey();
        assign(key, "pro", null);
        check(key, 200).then().statusCode(200);
        check(key, 100).then().statusCode(429); // pro refills 100/s: a second of waiting at least
        admin().when().delete("/v1/ratelimit/keys/" + key).then().statusCode(204);
        // Only a reset makes the whole burst available again at once.
        check(key, 200).then().statusCode(200).body("tier", is("pro")).body("policies[0].remaining", is(0));
    }

    @Test
    void aCatalogueChangeAppliesToEveryKeyOfTheTier() {
        var original = admin().when().get("/v1/ratelimit/tiers").then().statusCode(200)
                .body("tiers.free.policies.minute.limit", is(60))
                .body("tiers.enterprise.policies.minute.burst", is(2000))
                .extract().jsonPath().getMap("tiers.enterprise");
        try {
            admin().contentType("application/json").body("{\"enterprise\": {\"policies\": {\"minute\": "
                    + "{\"limit\": 120, \"window\": 60, \"burst\": 3}}, \"onRedisDown\": \"fail-open\"}}")
                    .when().put("/v1/ratelimit/tiers").then().statusCode(200)
                    .body("tiers.enterprise.policies.minute.limit", is(120));
            String key = newKey();
            assign(key, "enterprise", null);
            check(key, 3).then().statusCode(200);
            check(key).then().statusCode(429).header("RateLimit-Policy", is("\"minute\";q=120;w=60"));
        } finally {
            admin().contentType("application/json").body(java.util.Map.of("enterprise", original))
                    .when().put("/v1/ratelimit/tiers").then().statusCode(200);
        }
    }

    @Test
    void offendersListsTheKeysWithTheMostRejections() {
        String worst = newKey();
        String other = newKey();
        assign(worst, "free", "{\"minute\": null, \"day\": {\"limit\": 1, \"window\": 86400}}");
        assign(other, "free", "{\"minute\": null, \"day\": {\"limit\": 1, \"window\": 86400}}");
        for (int i = 0; i < 6; i++) {
            check(worst).then().statusCode(i == 0 ? 200 : 429);
        }
        check(other).then().statusCode(200);
        check(other).then().statusCode(429);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin().queryParam("window", "1h")
                .when().get("/v1/ratelimit/offenders").then().statusCode(200)
                .body("offenders.find { it.keyHash == '" + RedisKeys.hash(worst) + "' }.rejected", is(5))
                .body("offenders.find { it.keyHash == '" + RedisKeys.hash(other) + "' }.rejected", is(1)));
    }

    @Test
    void shadowPolicyObservesButAllows() {
        String key = newKey();
        double before = MetricsScrape.value(
                "sluice_ratelimiter_decisions_total{result=\"shadow-limited\",source=\"redis\",tier=\"free\"}");
        assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 2, \"window\": 86400, \"shadow\": true}}");
        for (int i = 0; i < 4; i++) {
            check(key).then().statusCode(200).body("decision", is("allowed"));
        }
        check(key).then().body("policies[0].violated", is(true)).body("policies[0].shadow", is(true));
        double after = MetricsScrape.value(
                "sluice_ratelimiter_decisions_total{result=\"shadow-limited\",source=\"redis\",tier=\"free\"}");
        assertThat(after).isGreaterThanOrEqualTo(before + 3);
    }

    @Test
    void metricsNameTierResultSourceLatencyAndNearLimit() {
        String key = newKey();
        check(key, 9).then().statusCode(200);
        String body = given().when().get("/q/metrics").asString();
        assertThat(body).contains("sluice_ratelimiter_decisions_total{result=\"allowed\",source=\"redis\",tier=\"free\"}")
                .contains("sluice_ratelimiter_decision_duration_seconds_bucket")
                .contains("sluice_ratelimiter_near_limit_total{policy=\"minute\"}")
                .contains("sluice_ratelimiter_redis_errors_total{reason=\"timeout\"}");
    }

    @Test
    void readinessListsTheDecisionsCheck() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("rate-limiter-decisions"))
                .body("checks.find { it.name == 'rate-limiter-decisions' }.data.state", is("redis"));
    }
}
