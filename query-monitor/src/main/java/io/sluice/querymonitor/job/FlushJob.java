package io.sluice.querymonitor.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.aggregate.FlushService;

/** Adds the in-memory aggregates to Redis about every second. */
public class FlushJob {

    private final FlushService flush;

    public FlushJob(FlushService flush) {
        this.flush = flush;
    }

    @Scheduled(every = "{query-monitor.aggregation.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        return flush.flush();
    }
}
