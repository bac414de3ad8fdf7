package io.sluice.ratelimiter;

import static io.sluice.ratelimiter.Api.assign;
import static io.sluice.ratelimiter.Api.check;
import static io.sluice.ratelimiter.Api.checkJson;
import static io.sluice.ratelimiter.Api.newKey;
import static io.sluice.ratelimiter.Api.onlyPerSecond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class CheckResourceTest {

    @Test
    void freeKeySpendsItsBurstThenGets429WithHeadersAndNamedPolicies() {
        String key = newKey();
        for (int remaining = 9; remaining >= 0; remaining--) {
            check(key).then().statusCode(200)
                    .body("decision", is("allowed"))
                    .body("tier", is("free"))
                    .body("source", is("redis"))
                    .body("policies.find { it.name == 'minute' }.remaining", is(remaining))
                    .header("RateLimit-Policy", is("\"minute\";q=60;w=60, \"day\";q=1000;w=86400"))
                    .header("Sluice-RateLimit-Source", is("redis"));
        }
        Response limited = check(key);
        limited.then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", endsWith("/quota-exceeded"))
                .body("decision", is("limited"))
                .body("tier", is("free"))
                .body("violatedPolicies", is(java.util.List.of("minute")))
                .body("policies.name", hasItem("day"));
        long retry = Long.parseLong(limited.header("Retry-After"));
        assertThat(retry).isBetween(1L, 1L); // 60/min: one request's share is 1 s
        assertThat(limited.header("RateLimit")).matches("\"minute\";r=0;t=\\d+, \"day\";r=990;t=\\d+");
    }

    @Test
    void aRejectedRequestConsumesNothing() {
        String key = newKey();
        assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 5, \"window\": 86400}}");
        check(key, 4).then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            check(key, 2).then().statusCode(429); // would need 2, one remains
        }
        // The refusals spent nothing: the last unit is still there.
        check(key, 1).then().statusCode(200).body("policies[0].remaining", is(0));
    }

    @Test
    void costSpendsThatManyAndDefaultsToOne() {
        String key = newKey();
        check(key, 3).then().statusCode(200).body("policies.find { it.name == 'day' }.remaining", is(997));
        check(key).then().statusCode(200).body("policies.find { it.name == 'day' }.remaining", is(996));
    }

    @Test
    void aTightLoopGetsExactlyBurstPlusRateTimesElapsed() {
        String key = newKey();
        assign(key, "free", onlyPerSecond(10, 5));
        int allowed = 0;
        long start = System.nanoTime();
        long end = start + Duration.ofMillis(2500).toNanos();
        long lastAllowedAt = start;
        while (System.nanoTime() < end) {
            int status = check(key).statusCode();
            assertThat(status).isIn(200, 429);
            if (status == 200) {
                allowed++;
                lastAllowedAt = System.nanoTime();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double expected = 5 + 10 * elapsed;
        // Within one request of the theory (plus one for the window edges of the local measurement).
        assertThat((double) allowed).as("allowed in %.2f s", elapsed).isBetween(expected - 2, expected + 1);
        assertThat(lastAllowedAt).isGreaterThan(start);
    }

    @Test
    void perMinuteAndPerDayPoliciesInteract() {
        String key = newKey();
        assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 8, \"window\": 86400},"
                + " \"second\": {\"limit\": 5, \"window\": 5, \"burst\": 5}}");
        for (int i = 0; i < 5; i++) {
            check(key).then().statusCode(200);
        }
        // The short policy is spent; the day policy still has 3.
        check(key).then().statusCode(429).body("violatedPolicies", is(java.util.List.of("second")))
                .body("policies.find { it.name == 'day' }.remaining", is(3));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> check(key).statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> check(key).statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> check(key).statusCode() == 200);
        // Now the day is spent, however much the short policy has refilled.
        await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(3)).until(() -> true);
        Response dayOver = check(key);
        dayOver.then().statusCode(429).body("violatedPolicies", is(java.util.List.of("day")));
        assertThat(Long.parseLong(dayOver.header("Retry-After"))).isGreaterThan(3600);
    }

    @Test
    void aRequestAtNowPlusRetryAfterIsAllowed() {
        String key = newKey();
        assign(key, "free", "{\"minute\": null, \"day\": null, \"slow\": {\"limit\": 1, \"window\": 2}}");
        check(key).then().statusCode(200);
        Response limited = check(key);
        limited.then().statusCode(429);
        long retry = Long.parseLong(limited.header("Retry-After"));
        assertThat(retry).isBetween(1L, 2L);
        await().pollDelay(Duration.ofSeconds(retry)).atMost(Duration.ofSeconds(retry + 1)).until(() -> true);
        check(key).then().statusCode(200);
    }

    @Test
    void stateHasATtlAndNeverTheRawKey() {
        String key = "secret-" + java.util.UUID.randomUUID();
        check(key).then().statusCode(200);
        var redis = SluiceInfra.get().redis();
        String state = RedisKeys.state(RedisKeys.hash(key), null);
        assertThat(Long.parseLong(redis.command("PTTL", state))).isPositive();
        String found = redis.command("SCAN", "0", "MATCH", "*" + key + "*", "COUNT", "100000");
        assertThat(found).doesNotContain(key);
    }

    @Test
    void aResourceHasItsOwnAllowance() {
        String key = newKey();
        assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 2, \"window\": 86400}}");
        String onA = "{\"key\": \"" + key + "\", \"resource\": \"/a\"}";
        checkJson(onA).then().statusCode(200);
        checkJson(onA).then().statusCode(200);
        checkJson(onA).then().statusCode(429);
        checkJson("{\"key\": \"" + key + "\", \"resource\": \"/b\"}").then().statusCode(200);
    }
}
