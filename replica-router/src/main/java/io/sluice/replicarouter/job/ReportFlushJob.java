package io.sluice.replicarouter.job;

import io.quarkus.scheduler.Scheduled;
import io.sluice.replicarouter.report.QueryReporter;
import io.smallrye.mutiny.Uni;

/** Sends buffered statement samples to query-monitor every replica-router.reporting.flush-interval. */
public class ReportFlushJob {

    private final QueryReporter reporter;

    public ReportFlushJob(QueryReporter reporter) {
        this.reporter = reporter;
    }

    @Scheduled(every = "{replica-router.reporting.flush-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        return reporter.flush();
    }
}
