package io.sluice.querymonitor.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.snapshot.StatementsSnapshotter;

/** Snapshots pg_stat_statements of every configured database (60 s by default) it holds the lease of. */
public class SnapshotJob {

    private final StatementsSnapshotter snapshotter;

    public SnapshotJob(StatementsSnapshotter snapshotter) {
        this.snapshotter = snapshotter;
    }

    @Scheduled(every = "{query-monitor.snapshot.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    Uni<Void> snapshot() {
        return snapshotter.snapshotAll().replaceWithVoid();
    }

    /** A stopping instance hands its databases over at once instead of when its leases run out. */
    void stop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        snapshotter.releaseAll().await().atMost(java.time.Duration.ofSeconds(2));
    }

    /** query-monitor.snapshot.enabled=false turns the schedule off (tests drive snapshots themselves). */
    @jakarta.inject.Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final io.sluice.querymonitor.config.QueryMonitorConfig config;

        public Disabled(io.sluice.querymonitor.config.QueryMonitorConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.snapshot().enabled();
        }
    }
}
