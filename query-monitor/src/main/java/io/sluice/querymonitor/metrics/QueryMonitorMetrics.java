package io.sluice.querymonitor.metrics;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sluice.querymonitor.config.QueryMonitorConfig;

/**
 * Fleet-level query meters. No per-query tags here: fingerprints are unbounded, so per-query figures are served
 * by the query API, not by Prometheus.
 */
@Startup
@ApplicationScoped
public class QueryMonitorMetrics {

    private final Timer duration;
    private final Counter samples;
    private final Counter slow;
    private final Counter errors;

    public QueryMonitorMetrics(MeterRegistry registry, QueryMonitorConfig config) {
        this.duration = Timer.builder("sluice.querymonitor.query.duration")
                .description("Duration of reported statements")
                .publishPercentileHistogram()
                .serviceLevelObjectives(config.slowThreshold())
                .register(registry);
        this.samples = Counter.builder("sluice.querymonitor.samples")
                .description("Statement samples received").register(registry);
        this.slow = Counter.builder("sluice.querymonitor.slow.queries")
                .description("Statements slower than the slow threshold").register(registry);
        this.errors = Counter.builder("sluice.querymonitor.query.errors")
                .description("Reported statements that failed").register(registry);
    }

    public void recordSample(Duration took, boolean isSlow, boolean failed) {
        samples.increment();
        duration.record(took);
        if (isSlow) {
            slow.increment();
        }
        if (failed) {
            errors.increment();
        }
    }
}
