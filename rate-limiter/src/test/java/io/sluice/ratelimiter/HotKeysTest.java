package io.sluice.ratelimiter;

import static io.sluice.ratelimiter.Api.assign;
import static io.sluice.ratelimiter.Api.check;
import static io.sluice.ratelimiter.Api.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * The in-process hot-key cache answers a spent key without Redis, and drops it as soon as any instance announces a
 * change of that key on the key-change channel (here published the way another instance would).
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class HotKeysTest {

    private static final String HOT_LIMITED =
            "sluice_ratelimiter_decisions_total{result=\"limited\",source=\"hot-cache\",tier=\"free\"}";
    private static final String DROPPED = "sluice_ratelimiter_hot_keys_invalidated_total{cause=\"key_change\"}";

    /** One request a day: once spent, every refusal has a retry time of hours, worth caching. */
    private static String spentKey() {
        String key = newKey();
        assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 1, \"window\": 86400}}");
        check(key).then().statusCode(200);
        return key;
    }

    @Test
    void aSpentKeyIsAnsweredFromTheHotCacheUntilAChangeOfItIsAnnounced() {
        String key = spentKey();
        await().atMost(Duration.ofSeconds(10)).until(() -> "hot-cache".equals(check(key).then().statusCode(429)
                .extract().header("Sluice-RateLimit-Source")));
        double hot = MetricsScrape.value(HOT_LIMITED);
        check(key).then().statusCode(429).header("Sluice-RateLimit-Source", "hot-cache");
        assertThat(MetricsScrape.value(HOT_LIMITED)).isEqualTo(hot + 1);

        double dropped = MetricsScrape.value(DROPPED);
        // What another instance sends after a tier change or reset; the change time is newer than any decision.
        SluiceInfra.get().redis().command("PUBLISH", RedisKeys.keyChangesChannel(),
                RedisKeys.hash(key) + " " + Long.MAX_VALUE / 2);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "redis".equals(check(key).then().statusCode(429).extract()
                        .header("Sluice-RateLimit-Source")));
        assertThat(MetricsScrape.value(DROPPED)).isGreaterThan(dropped);
        // A refusal decided before the announced change is not cached again: Redis keeps deciding.
        check(key).then().statusCode(429).header("Sluice-RateLimit-Source", "redis");
    }

    @Test
    void aResetThroughTheOperatorApiIsHonouredAtOnce() {
        String key = spentKey();
        await().atMost(Duration.ofSeconds(10)).until(() -> "hot-cache".equals(check(key).then().statusCode(429)
                .extract().header("Sluice-RateLimit-Source")));
        Api.admin().when().delete("/v1/ratelimit/keys/" + key).then().statusCode(204);
        check(key).then().statusCode(200).header("Sluice-RateLimit-Source", "redis");
    }
}
