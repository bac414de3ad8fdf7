package io.sluice.querymonitor.job;

import io.quarkus.scheduler.Scheduled;
import io.sluice.querymonitor.history.QueryMonitorHistory;
import io.smallrye.mutiny.Uni;

/** Takes a point of the chart figures every {@code query-monitor.history.step} (10 s by default). */
public class HistoryJob {

    private final QueryMonitorHistory history;

    public HistoryJob(QueryMonitorHistory history) {
        this.history = history;
    }

    @Scheduled(every = "{query-monitor.history.step}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return history.sample();
    }
}
