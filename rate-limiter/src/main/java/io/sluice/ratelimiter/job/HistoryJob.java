package io.sluice.ratelimiter.job;

import io.quarkus.scheduler.Scheduled;
import io.sluice.ratelimiter.history.RateLimiterHistory;
import io.smallrye.mutiny.Uni;

/** Takes a point of the chart figures every {@code rate-limiter.history.step} (10 s by default). */
public class HistoryJob {

    private final RateLimiterHistory history;

    public HistoryJob(RateLimiterHistory history) {
        this.history = history;
    }

    @Scheduled(every = "{rate-limiter.history.step}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        return history.sample();
    }
}
