package io.sluice.cacheservice.job;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.sluice.cacheservice.history.CacheHistory;
import io.sluice.cacheservice.metrics.CacheMetrics.Event;
import io.sluice.cacheservice.query.QueryCacheService;
import io.sluice.cacheservice.refresh.HotKeys;
import io.sluice.cacheservice.stats.NamespaceStats;
import io.smallrye.mutiny.Uni;

/** The periodic work; each body is one call into a service (the write stream polls on its own timer: sub-second). */
@ApplicationScoped
public class CacheJobs {

    private final NamespaceStats stats;
    private final HotKeys hotKeys;
    private final QueryCacheService queries;
    private final CacheHistory history;

    public CacheJobs(NamespaceStats stats, HotKeys hotKeys, QueryCacheService queries, CacheHistory history) {
        this.stats = stats;
        this.hotKeys = hotKeys;
        this.queries = queries;
        this.history = history;
    }

    @Scheduled(every = "${cache-service.history.step}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sampleHistory() {
        return history.sample();
    }

    @Scheduled(every = "${cache-service.stats.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushStats() {
        return stats.flush();
    }

    @Scheduled(every = "${cache-service.refresh.hot-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshHotKeys() {
        return hotKeys.refreshDue(spec -> queries.refresh(spec).invoke(done -> {
            if (done != null) {
                stats.record(Event.EARLY_REFRESH, spec.namespace());
            }
        })).replaceWithVoid();
    }
}
