package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class InvalidationTest {

    private static void invalidateTags(String... tags) {
        given().contentType("application/json").body(java.util.Map.of("tags", java.util.List.of(tags)))
                .when().post("/v1/cache/invalidate").then().statusCode(200);
    }

    @Test
    void anInvalidationDuringASlowLoadDoesNotLetTheOldValueIn() throws Exception {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        String sql = "SELECT v, pg_sleep(1.5)::text AS s FROM " + t + " WHERE id = 1";
        var q = query(ns, sql).ttl(300);
        String lease = "sluice:cacheservice:e:" + ns + ":{" + io.sluice.cacheservice.query.QueryKey.of(sql,
                java.util.List.of()) + "}:lease";
        double rejectedBefore = MetricsScrape.value("sluice_cacheservice_fills_total{outcome=\"rejected\"}");

        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(q::post);
        // Wait until the load holds its lease and its SELECT runs in PostgreSQL (its snapshot predates the write:
        // the lease alone was seen on a busy machine before the SELECT started, which then read the new row), then
        // a write lands (the table's tag is invalidated).
        await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(SluiceInfra.get().redis().command("EXISTS",
                lease)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !"0".equals(SluiceInfra.get().primary().queryValue(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ?",
                "%pg_sleep(1.5)%" + t + "%")));
        SluiceInfra.get().primary().execute("UPDATE " + t + " SET v = 'new' WHERE id = 1");
        invalidateTags("table:" + t);

        Response loaded = slow.get();
        assertThat(loaded.header("X-Cache")).isEqualTo("MISS");
        assertThat(loaded.jsonPath().getString("rows[0].v")).isEqualTo("one");
        assertThat(MetricsScrape.value("sluice_cacheservice_fills_total{outcome=\"rejected\"}"))
                .isGreaterThan(rejectedBefore);

        Response next = q.post();
        assertThat(next.header("X-Cache")).as("the old result was not stored").isEqualTo("MISS");
        assertThat(next.jsonPath().getString("rows[0].v")).isEqualTo("new");
    }

    @Test
    void cascadeTagsFollowImplications() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        String org = UUID.randomUUID().toString().substring(0, 8);
        // Rules (test profile): org:* -> users:org:*, billing:org:*; users:org:* -> profiles:org:*
        var tagged = query(ns, "SELECT v FROM " + t + " WHERE id = 1").tags("profiles:org:" + org);
        var other = query(ns, "SELECT v FROM " + t + " WHERE id = 2").tags("profiles:org:x" + org);
        tagged.post();
        other.post();
        assertThat(tagged.post().header("X-Cache")).isEqualTo("HIT");

        Response r = given().contentType("application/json").body("{\"tags\": [\"org:" + org + "\"]}")
                .when().post("/v1/cache/invalidate");
        assertThat(r.jsonPath().getList("tags")).contains("org:" + org, "users:org:" + org, "billing:org:" + org,
                "profiles:org:" + org);
        assertThat(tagged.post().header("X-Cache")).isEqualTo("MISS");
        assertThat(other.post().header("X-Cache")).isEqualTo("HIT");
    }

    @Test
    void anEntryStoredWithATagTheReaderDidNotNameIsStillCheckedAgainstIt() {
        // A hit reads the query's own tags with the entry; a tag only the storing request named is read after.
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        String tag = "order-" + java.util.UUID.randomUUID();
        var tagged = query(ns, "SELECT v FROM " + t).tags(tag);
        var plain = query(ns, "SELECT v FROM " + t);
        assertThat(tagged.post().header("X-Cache")).isEqualTo("MISS");
        assertThat(plain.post().header("X-Cache")).as("the same query result").isEqualTo("HIT");
        invalidateTags(tag);
        assertThat(plain.post().header("X-Cache")).isEqualTo("MISS");
    }

    @Test
    void aKeyInvalidationRemovesThatQueryResult() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        var q = query(ns, "SELECT v FROM " + t);
        String key = q.post().header("X-Cache-Key");
        given().contentType("application/json")
                .body("{\"keys\": [{\"namespace\": \"" + ns + "\", \"key\": \"" + key + "\"}]}")
                .when().post("/v1/cache/invalidate").then().statusCode(200)
                .body("keysRemoved", org.hamcrest.Matchers.is(1));
        assertThat(q.post().header("X-Cache")).isEqualTo("MISS");
    }

    @Test
    void aWriteOnTheRoutersStreamMakesTheNextReadAMissWithFreshData() {
        String t = CacheApi.table();
        var q = query(CacheApi.namespace(), "SELECT v FROM public." + t + " WHERE id = 1").ttl(300);
        q.post();
        assertThat(q.post().header("X-Cache")).isEqualTo("HIT");
        long lagsBefore = (long) MetricsScrape.value("sluice_cacheservice_invalidation_lag_seconds_count");

        SluiceInfra.get().primary().execute("UPDATE " + t + " SET v = 'fresh' WHERE id = 1");
        // Exactly what replica-router appends after a committed write (docs/streams.md).
        SluiceInfra.get().redis().command("XADD", "sluice:replicarouter:{invalidations}", "*", "tables", t, "lsn",
                "0/0", "node", "primary", "at", Long.toString(System.currentTimeMillis()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Response r = q.post();
            assertThat(r.header("X-Cache")).isIn("MISS", "HIT");
            assertThat(r.jsonPath().getString("rows[0].v")).isEqualTo("fresh");
        });
        assertThat((long) MetricsScrape.value("sluice_cacheservice_invalidation_lag_seconds_count"))
                .isGreaterThan(lagsBefore);
    }

    @Test
    void aDirectWriteWithTheNotifyTriggerMakesTheNextReadAMissWithFreshData() {
        String t = CacheApi.table();
        given().header("Authorization", CacheApi.ADMIN).contentType("application/json")
                .body("{\"tables\": [\"" + t + "\"]}").when().post("/v1/cache/admin/notify-triggers")
                .then().statusCode(200).body("installed[0]", org.hamcrest.Matchers.is("public." + t));
        var q = query(CacheApi.namespace(), "SELECT v FROM " + t + " WHERE id = 2").ttl(300);
        q.post();
        assertThat(q.post().header("X-Cache")).isEqualTo("HIT");

        SluiceInfra.get().primary().execute("UPDATE " + t + " SET v = 'direct' WHERE id = 2");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(q.post().jsonPath().getString("rows[0].v")).isEqualTo("direct"));
    }

    @Test
    void aNamespaceFlushIsImmediateAndItsKeysAreSweptWithoutKeysOrFlushall() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        var q = query(ns, "SELECT v FROM " + t);
        q.post();
        given().contentType("application/json").body("{\"value\": 1}").when().put("/v1/cache/entries/" + ns + "/v");
        var keep = query(CacheApi.namespace(), "SELECT v FROM " + t);
        keep.post();

        given().header("Authorization", CacheApi.ADMIN).when().delete("/v1/cache/namespaces/" + ns)
                .then().statusCode(200);
        assertThat(given().when().get("/v1/cache/entries/" + ns + "/v").statusCode()).isEqualTo(404);
        assertThat(keep.post().header("X-Cache")).isEqualTo("HIT");
        // The old entry is gone from Redis too, removed by the background SCAN + UNLINK sweep.
        await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(SluiceInfra.get().redis().command("EXISTS",
                "sluice:cacheservice:e:" + ns + ":{v}")));
        assertThat(q.post().header("X-Cache")).isEqualTo("MISS");
    }
}
