package io.sluice.querymonitor.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.aggregate.FleetTopK;

/** Re-reads the fleet's top K fingerprints for the metric labels (every 30 s by default). */
public class TopKJob {

    private final FleetTopK topK;

    public TopKJob(FleetTopK topK) {
        this.topK = topK;
    }

    @Scheduled(every = "{query-monitor.metrics.top-k-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return topK.refresh().replaceWithVoid().onFailure().recoverWithNull();
    }
}
