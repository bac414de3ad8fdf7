package io.sluice.replicarouter.job;

import io.quarkus.scheduler.Scheduled;
import io.sluice.replicarouter.history.RouterHistory;
import io.smallrye.mutiny.Uni;

/** Takes a point of the chart figures every {@code replica-router.history.step} (10 s by default). */
public class HistoryJob {

    private final RouterHistory history;

    public HistoryJob(RouterHistory history) {
        this.history = history;
    }

    @Scheduled(every = "{replica-router.history.step}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return history.sample();
    }
}
