package io.sluice.cacheservice;

import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class QueryCacheTest {

    @Test
    void missThenHitThenExpiry() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        var q = query(ns, "SELECT v FROM " + t + " WHERE id = $1").params(1).ttl(2);

        Response miss = q.post();
        assertThat(miss.statusCode()).as(miss.asString()).isEqualTo(200);
        assertThat(miss.header("X-Cache")).isEqualTo("MISS");
        assertThat(miss.header("Age")).isEqualTo("0");
        assertThat(miss.jsonPath().getString("rows[0].v")).isEqualTo("one");

        Response hit = q.post();
        assertThat(hit.header("X-Cache")).isEqualTo("HIT");
        assertThat(hit.jsonPath().getString("rows[0].v")).isEqualTo("one");
        assertThat(hit.header("X-Cache-Key")).isEqualTo(miss.header("X-Cache-Key"));
        assertThat(CacheApi.executions(t)).as("one database execution for a miss and a hit").isEqualTo(1);

        // The entry is in Redis under the documented layout, with a TTL.
        String redisKey = "sluice:cacheservice:e:" + ns + ":{" + miss.header("X-Cache-Key") + "}";
        assertThat(Long.parseLong(SluiceInfra.get().redis().command("PTTL", redisKey))).isPositive();

        // Wait for expiry by watching Redis, not by reading the key: a read close to expiry may refresh it early
        // (XFetch), which is a second execution this test does not mean to count (seen in CI: 3 instead of 2).
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                Long.parseLong(SluiceInfra.get().redis().command("PTTL", redisKey)) < 0);
        Response expired = q.post();
        assertThat(expired.header("X-Cache")).isEqualTo("MISS");
        assertThat(CacheApi.executions(t)).isEqualTo(2);
    }

    @Test
    void formattingSharesAnEntryButAnotherParameterDoesNot() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        assertThat(query(ns, "SELECT v FROM " + t + " WHERE id = $1").params(1).post().header("X-Cache"))
                .isEqualTo("MISS");
        assertThat(query(ns, "select  v\n from " + t + " where id=$1 -- same").params(1).post().header("X-Cache"))
                .isEqualTo("HIT");
        Response other = query(ns, "SELECT v FROM " + t + " WHERE id = $1").params(2).post();
        assertThat(other.header("X-Cache")).isEqualTo("MISS");
        assertThat(other.jsonPath().getString("rows[0].v")).isEqualTo("two");
    }

    @Test
    void theNearCacheAnswersRepeatedHitsAndRedisStillHoldsTheTruth() {
        String t = CacheApi.table();
        var q = query(CacheApi.namespace(), "SELECT v FROM " + t + " WHERE id = 1").ttl(60);
        q.post();
        Response hit = q.post();
        assertThat(hit.header("X-Cache")).isEqualTo("HIT");
        assertThat(hit.header("X-Cache-Layer")).isEqualTo("near");
    }

    @Test
    void staleWhileRevalidateServesTheOldValueOnceAndRefreshesInTheBackground() {
        String t = CacheApi.table();
        var q = query(CacheApi.namespace(), "SELECT v FROM " + t + " WHERE id = 1").ttl(1).staleWhileRevalidate(60);
        Response miss = q.post();
        assertThat(miss.header("X-Cache")).isEqualTo("MISS");
        SluiceInfra.get().primary().execute("UPDATE " + t + " SET v = 'uno' WHERE id = 1");
        // Not a write the cache hears of (no router, no trigger). Wait for expiry without reading the key (a read
        // could refresh it early, by XFetch), watching the entry in Redis instead.
        String redisKey = "sluice:cacheservice:e:" + miss.jsonPath().getString("namespace") + ":{"
                + miss.header("X-Cache-Key") + "}";
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                System.currentTimeMillis() > new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(SluiceInfra.get().redis().command("GET", redisKey)).get("freshUntil").asLong() + 50);
        // After expiry the old value is served STALE at once...
        Response stale = q.post();
        assertThat(stale.header("X-Cache")).isEqualTo("STALE");
        assertThat(stale.jsonPath().getString("rows[0].v")).isEqualTo("one");
        assertThat(Integer.parseInt(stale.header("Age"))).isGreaterThanOrEqualTo(1);
        // ...while one background load stores the new one.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Response r = q.post();
            assertThat(r.header("X-Cache")).isEqualTo("HIT");
            assertThat(r.jsonPath().getString("rows[0].v")).isEqualTo("uno");
        });
    }

    @Test
    void earlyRefreshKeepsAHotKeyFreshBeforeItExpires() {
        String t = CacheApi.table();
        // A slow load (delta 0.8 s) on a 2 s TTL: XFetch refreshes well before expiry while readers keep hitting.
        var q = query(CacheApi.namespace(), "SELECT v, pg_sleep(0.8)::text AS s FROM " + t + " WHERE id = 1").ttl(2);
        assertThat(q.post().header("X-Cache")).isEqualTo("MISS");
        double before = io.sluice.testing.MetricsScrape.value("sluice_cacheservice_lookups_total{namespace=\"other\",outcome=\"early_refresh\"}");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            q.post();
            return CacheApi.executions(t) >= 2;
        });
        assertThat(CacheApi.executions(t)).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            q.post();
            return io.sluice.testing.MetricsScrape.value(
                    "sluice_cacheservice_lookups_total{namespace=\"other\",outcome=\"early_refresh\"}") > before;
        });
    }
}
