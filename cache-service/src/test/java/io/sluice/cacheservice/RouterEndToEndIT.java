package io.sluice.cacheservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.testing.ServiceProcess;
import io.sluice.testing.SluiceInfra;

/**
 * End to end with the real replica-router process: cache-service loads misses through the router's POST /sql and
 * invalidates from the router's write stream. Writes made through the router while cache-service was down are
 * replayed by the consumer group when it comes back. NOTIFY is off here, so the stream is the only path.
 */
class RouterEndToEndIT {

    private static SluiceInfra infra;
    private static ServiceProcess router;
    private static ServiceProcess cache;

    @BeforeAll
    static void start() throws Exception {
        infra = SluiceInfra.get();
        infra.heal();
        router = ServiceProcess.of("router", Path.of("../replica-router"), Map.of(
                "replica-router.nodes.primary.url", infra.primary().reactiveUrl(),
                "replica-router.nodes.replica1.url", infra.replica().reactiveUrl())).redis(infra.redis())
                .start(Duration.ofSeconds(90));
        cache = cacheService().start(Duration.ofSeconds(90));
    }

    private static ServiceProcess cacheService() {
        return ServiceProcess.of("cache", Path.of("."), Map.of(
                "quarkus.datasource.reactive.url", infra.primary().reactiveUrl(),
                "cache-service.loader.router-url", router.url(),
                "cache-service.invalidation.notify-enabled", "false",
                "cache-service.near-cache.enabled", "false",
                "cache-service.redis.timeout", "30s")).redis(infra.redis());
    }

    @AfterAll
    static void stop() {
        if (cache != null) {
            cache.stop();
        }
        if (router != null) {
            router.stop();
        }
    }

    @Test
    void writesThroughTheRouterInvalidateAndAreReplayedAfterDowntime() throws Exception {
        String t = "rt_" + UUID.randomUUID().toString().replace("-", "");
        assertThat(sql("CREATE TABLE " + t + " (id int PRIMARY KEY, v text)").statusCode()).isEqualTo(200);
        assertThat(sql("INSERT INTO " + t + " VALUES (1, 'one')").statusCode()).isEqualTo(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        String query = "{\"namespace\": \"e2e\", \"sql\": \"SELECT v FROM " + t + " WHERE id = $1\", "
                + "\"params\": [1], \"ttl_s\": 600}";

        HttpResponse<String> first = cached(query);
        assertThat(first.body()).contains("\"v\":\"one\"");
        // The setup writes' own stream entries may be applied after this first fill (invalidating it): wait
        // until the entry is stable.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> "HIT".equals(cached(query).headers().firstValue("X-Cache").orElse("")));

        // A write through the router: the next read is a miss with fresh data.
        assertThat(sql("UPDATE " + t + " SET v = 'two' WHERE id = 1").statusCode()).isEqualTo(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> cached(query).body().contains("\"v\":\"two\""));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> "HIT".equals(cached(query).headers().firstValue("X-Cache").orElse("")));

        // cache-service down while a write happens; the entry's TTL is 10 minutes, so only a replay can drop it.
        cache.stop();
        assertThat(sql("UPDATE " + t + " SET v = 'three' WHERE id = 1").statusCode()).isEqualTo(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        cache = cacheService().start(Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> cached(query).body().contains("\"v\":\"three\""));
    }

    private static HttpResponse<String> sql(String statement) throws Exception {
        return HttpPost.post(router.url() + "/sql", "{\"query\": \"" + statement + "\"}");
    }

    private static HttpResponse<String> cached(String body) throws Exception {
        HttpResponse<String> r = HttpPost.post(cache.url() + "/v1/cache/query", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void aMissRightAfterAnInvalidationIsNeverLoadedFromAReplicaThatHasNotReplayedTheWrite() throws Exception {
        String t = "fr_" + UUID.randomUUID().toString().replace("-", "");
        assertThat(sql("CREATE TABLE " + t + " (id int PRIMARY KEY, v text)").statusCode()).isEqualTo(200);
        assertThat(sql("INSERT INTO " + t + " VALUES (1, 'old')").statusCode()).isEqualTo(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        String query = "{\"namespace\": \"fresh\", \"sql\": \"SELECT v FROM " + t + " WHERE id = $1\", "
                + "\"params\": [1], \"ttl_s\": 600}";
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> "HIT".equals(cached(query).headers().firstValue("X-Cache").orElse("")));

        infra.pauseReplay(infra.replica());
        try {
            HttpResponse<String> write = sql("UPDATE " + t + " SET v = 'new' WHERE id = 1");
            long commit = io.sluice.common.sql.Lsn.parse(write.headers().firstValue("Sluice-Commit-Lsn").orElseThrow());
            // Once cache-service has applied the write's invalidation, the next read is a miss that must load
            // the new row although the replica still holds the old one.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                String known = infra.redis().command("GET", "sluice:cacheservice:{writes}:lsn");
                return known != null && known.trim().matches("\\d+") && Long.parseLong(known.trim()) >= commit;
            });
            HttpResponse<String> miss = cached(query);
            assertThat(miss.body()).contains("\"v\":\"new\"");
            HttpResponse<String> hit = cached(query);
            assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(hit.body()).contains("\"v\":\"new\"");
        } finally {
            infra.resumeReplay(infra.replica());
        }
    }
}
