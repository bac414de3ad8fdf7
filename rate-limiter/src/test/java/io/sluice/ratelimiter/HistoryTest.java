package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;
import static io.sluice.ratelimiter.Api.check;
import static io.sluice.ratelimiter.Api.newKey;
import static io.sluice.testing.HistoryReads.last;
import static io.sluice.testing.HistoryReads.lastTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.ratelimiter.history.RateLimiterHistory;
import io.sluice.testing.SluiceInfraResource;

/** GET /v1/history: the decisions by tier between two points, as the decision counters counted them. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class HistoryTest {

    @Inject
    RateLimiterHistory history;

    @Test
    void aPointHoldsTheDecisionsByTierMadeSinceThePreviousOne() {
        sample(); // the baseline: whatever other tests decided goes into this point
        String key = newKey(); // free tier (the default): burst 10, one more every second
        check(key, 5).then().statusCode(200);
        check(key, 5).then().statusCode(200);
        check(key, 5).then().statusCode(429);
        sample();

        JsonPath h = given().when().get("/v1/history").then().statusCode(200).contentType("application/json")
                .body("stepSeconds", is(3600)).body("capacity", is(360)).extract().jsonPath();
        assertThat(last(h, "decisions:free:allowed")).isEqualTo(2.0);
        assertThat(last(h, "decisions:free:limited")).isEqualTo(1.0);
        assertThat(last(h, "decisions:pro:limited")).isEqualTo(0.0);
        long t = lastTime(h, "decisions:free:allowed");

        given().queryParam("since", t).when().get("/v1/history").then().statusCode(200)
                .body("series.size()", is(0));
    }

    @Test
    void aSinceThatIsNotANumberIsA400Problem() {
        given().queryParam("since", "yesterday").when().get("/v1/history").then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/validation-failed"));
    }

    private void sample() {
        history.sample().await().atMost(Duration.ofSeconds(5));
    }
}
