package io.sluice.querymonitor.job;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.validation.ScorecardService;
import io.sluice.querymonitor.validation.ValidationConfig;

/**
 * Evaluates the scorecard over the default window every {@code validation.interval} (15 s): keeps the scrapes
 * windows are computed from, and the verdict gauges current.
 */
public class ValidationJob {

    private final ScorecardService scorecard;
    private final ValidationConfig config;

    public ValidationJob(ScorecardService scorecard, ValidationConfig config) {
        this.scorecard = scorecard;
        this.config = config;
    }

    @Scheduled(every = "{query-monitor.validation.interval}", delay = 5, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> evaluate() {
        if (!config.background()) {
            return Uni.createFrom().voidItem();
        }
        return scorecard.evaluate(scorecard.defaultWindow()).replaceWithVoid().onFailure().recoverWithNull();
    }
}
