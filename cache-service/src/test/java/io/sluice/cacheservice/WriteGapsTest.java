package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.cacheservice.invalidation.FailSafeInvalidation;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * Writes the cache could miss: a NOTIFY invalidation Redis refuses is retried until applied, stream entries removed
 * before the group read them invalidate only the tables they touched (router's table marks), and invalidations of
 * every query result are rate-limited for the fleet without leaving a loss uncovered.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class WriteGapsTest {

    private static final String STREAM = "sluice:replicarouter:{invalidations}";
    private static final String MARKS = STREAM + ":tables";
    /** What replica-router's script does for one write (docs/streams.md), then the entry is deleted unread. */
    private static final String APPEND_AND_LOSE = """
            local id = redis.call('XADD', KEYS[1], '*', 'tables', ARGV[1], 'lsn', '0/0', 'node', 'primary', 'at', ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], id)
            redis.call('HINCRBY', KEYS[2], '_added', 1)
            redis.call('XDEL', KEYS[1], id)
            return id""";

    @Inject
    FailSafeInvalidation failSafe;

    @Test
    void aNotifyInvalidationRedisRefusesIsRetriedUntilApplied() {
        String t = CacheApi.table();
        given().header("Authorization", CacheApi.ADMIN).contentType("application/json")
                .body("{\"tables\": [\"" + t + "\"]}").when().post("/v1/cache/admin/notify-triggers")
                .then().statusCode(200);
        // A value the app tagged with the table: only the NOTIFY path invalidates it (no database tag).
        String path = "/v1/cache/entries/gaps/" + UUID.randomUUID();
        given().contentType("application/json").body("{\"value\": 1, \"ttl_s\": 300, \"tags\": [\"table:" + t + "\"]}")
                .when().put(path).then().statusCode(200);
        double retried = MetricsScrape.value("sluice_cacheservice_notify_retries_total{outcome=\"retried\"}");
        var redis = SluiceInfra.get().redis();
        String tagKey = "sluice:cacheservice:t:{table:" + t + "}";
        // Redis refuses every write (NOREPLICAS) but keeps its data: the invalidation's first attempt fails.
        redis.commandOnEveryNode("CONFIG", "SET", "min-replicas-to-write", "1");
        try {
            SluiceInfra.get().primary().execute("UPDATE " + t + " SET v = 'direct' WHERE id = 1");
            await().atMost(Duration.ofSeconds(30)).until(() -> MetricsScrape.value(
                    "sluice_cacheservice_notify_retries_total{outcome=\"retried\"}") > retried);
            assertThat(redis.command("GET", tagKey)).as("not invalidated while Redis refuses writes").isEmpty();
        } finally {
            redis.commandOnEveryNode("CONFIG", "SET", "min-replicas-to-write", "0");
        }
        // Without the retry the failed attempt was the last: the table's tag would never get a version.
        await().atMost(Duration.ofSeconds(30)).until(() -> !redis.command("GET", tagKey).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var r = given().when().get(path);
            return r.statusCode() == 404 && "MISS".equals(r.header("X-Cache"));
        });
    }

    @Test
    void entriesLostBeforeTheGroupReadThemInvalidateOnlyTheTablesTheyTouched() {
        // An earlier test's Redis outage may still owe the fleet one invalidation of everything (deferred by the
        // fail safe's interval); it would empty the untouched table's entry too, whatever this gap does.
        CacheApi.awaitNoInvalidationOfEverythingDue(failSafe);
        String written = CacheApi.table();
        String untouched = CacheApi.table();
        var lost = query(CacheApi.namespace(), "SELECT v FROM " + written + " WHERE id = 1").ttl(300);
        var kept = query(CacheApi.namespace(), "SELECT v FROM " + untouched + " WHERE id = 1").ttl(300);
        lost.post();
        kept.post();
        assertThat(lost.post().header("X-Cache")).isEqualTo("HIT");
        double tableGaps = MetricsScrape.value("sluice_cacheservice_stream_gaps_total{scope=\"tables\"}");
        double databaseGaps = MetricsScrape.value("sluice_cacheservice_stream_gaps_total{scope=\"database\"}");
        var redis = SluiceInfra.get().redis();
        // The marks count every entry the stream ever had (here: as if every producer so far had marked).
        redis.command("HSET", MARKS, "_added", entriesAdded(redis.command("XINFO", "STREAM", STREAM)));

        redis.command("EVAL", APPEND_AND_LOSE, "2", STREAM, MARKS, written, Long.toString(System.currentTimeMillis()));

        await().atMost(Duration.ofSeconds(20)).until(() -> "MISS".equals(lost.post().header("X-Cache")));
        assertThat(kept.post().header("X-Cache")).as("a table the lost write did not touch").isEqualTo("HIT");
        assertThat(MetricsScrape.value("sluice_cacheservice_stream_gaps_total{scope=\"tables\"}"))
                .isGreaterThan(tableGaps);
        assertThat(MetricsScrape.value("sluice_cacheservice_stream_gaps_total{scope=\"database\"}"))
                .as("the gap's tables were known").isEqualTo(databaseGaps);
    }

    /** The rate limit's arithmetic is FailSafePlanTest's; here: two losses at once end covered, and counted. */
    @Test
    void invalidationsOfEverythingAreRateLimitedButNeverLeaveALossUncovered() {
        var redis = SluiceInfra.get().redis();
        double deferredOrCovered = failSafes("deferred") + failSafes("covered");
        String[] time = redis.command("TIME").split("\n");
        long before = Long.parseLong(time[0]) * 1_000_000 + Long.parseLong(time[1]);
        failSafe.invalidateAll("test: first").await().atMost(Duration.ofSeconds(10));
        failSafe.invalidateAll("test: second, at once").await().atMost(Duration.ofSeconds(10));
        // The second came within the interval of the first's bump (or of an earlier one): not applied at once.
        assertThat(failSafes("deferred") + failSafes("covered")).isGreaterThan(deferredOrCovered);
        // Within the interval (2 s here) the database tag is newer than both losses.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String v = redis.command("GET", "sluice:cacheservice:t:{db}");
            return !v.isEmpty() && Long.parseLong(v) > before;
        });
    }

    private static double failSafes(String outcome) {
        return MetricsScrape.value("sluice_cacheservice_failsafe_invalidations_total{outcome=\"" + outcome + "\"}");
    }

    private static String entriesAdded(String xinfo) {
        String[] lines = xinfo.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].equals("entries-added")) {
                return lines[i + 1];
            }
        }
        throw new AssertionError("no entries-added in " + xinfo);
    }
}
