package io.sluice.cacheservice;

import static io.sluice.cacheservice.CacheApi.query;
import static io.sluice.testing.HistoryReads.last;
import static io.sluice.testing.HistoryReads.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.cacheservice.history.CacheHistory;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** GET /v1/history: the hit rate and the invalidation lag of what happened between two points. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class HistoryTest {

    @Inject
    CacheHistory history;

    @Test
    void aPointHoldsTheHitRateAndTheInvalidationLagSinceThePreviousOne() {
        String t = CacheApi.table();
        var q = query(CacheApi.namespace(), "SELECT v FROM public." + t + " WHERE id = 1").ttl(300);
        sample(); // the baseline
        int hits = 0;
        int lookups = 0;
        for (int i = 0; i < 4; i++) {
            String answer = q.post().header("X-Cache");
            hits += "HIT".equals(answer) || "STALE".equals(answer) ? 1 : 0;
            lookups++;
        }
        assertThat(hits).as("a miss, then hits").isEqualTo(3);

        // A write the router reports 3 s after its commit: the cache applies it at least 3 s after the commit.
        double lagsBefore = MetricsScrape.value("sluice_cacheservice_invalidation_lag_seconds_count");
        long committed = System.currentTimeMillis() - 3000;
        SluiceInfra.get().redis().command("XADD", "sluice:replicarouter:{invalidations}", "*", "tables", t, "lsn",
                "0/0", "node", "primary", "at", Long.toString(committed));
        await().atMost(Duration.ofSeconds(10)).until(() -> MetricsScrape.value(
                "sluice_cacheservice_invalidation_lag_seconds_count") > lagsBefore);
        double upperBound = (System.currentTimeMillis() - committed) / 1000.0;
        sample();

        var h = read();
        assertThat(last(h, "hitRate")).isEqualTo((double) hits / lookups);
        assertThat(last(h, "invalidationLagSeconds")).isBetween(3.0, upperBound);
    }

    private void sample() {
        history.sample().await().atMost(Duration.ofSeconds(5));
    }
}
