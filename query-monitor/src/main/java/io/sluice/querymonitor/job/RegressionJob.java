package io.sluice.querymonitor.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.slow.RegressionDetector;

/** Looks for p95 regressions (every 60 s by default). */
public class RegressionJob {

    private final RegressionDetector detector;

    public RegressionJob(RegressionDetector detector) {
        this.detector = detector;
    }

    @Scheduled(every = "{query-monitor.regression.interval}", delayed = "{query-monitor.regression.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> detect() {
        return detector.detect().replaceWithVoid();
    }
}
