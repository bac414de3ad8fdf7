package io.sluice.querymonitor.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sluice.querymonitor.aggregate.Aggregator;
import io.sluice.querymonitor.config.QueryMonitorConfig;

/**
 * The service's meters. The duration histogram is labelled by fingerprint only for the fleet's top K fingerprints
 * by total time ({@code FleetTopK}, the same on every instance); all others share {@code other}, and a fingerprint
 * that leaves the top K has its series removed, so the label stays bounded by K + 1.
 */
@Startup
@ApplicationScoped
public class QueryMonitorMetrics {

    public static final String OTHER = "other";
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final QueryMonitorConfig config;
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private volatile Set<String> top = Set.of();
    private final Counter samples;
    private final Counter slow;
    private final Counter errors;
    private final Counter regressions;
    private final Timer ingest;
    private final Timer flush;

    public QueryMonitorMetrics(MeterRegistry registry, QueryMonitorConfig config, Aggregator aggregator) {
        this.registry = registry;
        this.config = config;
        this.samples = Counter.builder("sluice.querymonitor.samples")
                .description("Statement samples received").register(registry);
        this.slow = Counter.builder("sluice.querymonitor.slow.queries")
                .description("Samples slower than their database's slow threshold").register(registry);
        this.errors = Counter.builder("sluice.querymonitor.query.errors")
                .description("Reported statements that failed").register(registry);
        this.regressions = Counter.builder("sluice.querymonitor.regressions")
                .description("Fingerprints flagged because their recent p95 exceeded k times the 24 h p95")
                .register(registry);
        this.ingest = Timer.builder("sluice.querymonitor.ingest.duration")
                .description("Time spent validating and aggregating one batch (the monitor's own overhead)")
                .register(registry);
        this.flush = Timer.builder("sluice.querymonitor.flush.duration")
                .description("Time to add one interval's aggregates to Redis").register(registry);
        Gauge.builder("sluice.querymonitor.fingerprints.tracked", aggregator, Aggregator::trackedFingerprints)
                .description("Fingerprints held in the in-memory LRU").register(registry);
        Gauge.builder("sluice.querymonitor.fingerprints.evicted", aggregator, Aggregator::evictedFingerprints)
                .description("Fingerprints evicted from the LRU since start (cap reached)").register(registry);
        Gauge.builder("sluice.querymonitor.aggregates.pending", aggregator, Aggregator::pendingAggregates)
                .description("Aggregates waiting for the next flush").register(registry);
        duration(OTHER);
    }

    public void recordSample(String fingerprint, String database, Duration took, boolean isSlow, boolean failed) {
        samples.increment();
        duration(top.contains(fingerprint) ? fingerprint : OTHER).record(took);
        if (isSlow) {
            slow.increment();
        }
        if (failed) {
            errors.increment();
        }
    }

    public void recordIngest(int count, long nanos) {
        ingest.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void recordFlush(long nanos, boolean ok) {
        flush.record(nanos, TimeUnit.NANOSECONDS);
        if (!ok) {
            Counter.builder("sluice.querymonitor.flush.failures")
                    .description("Flushes to Redis that failed (aggregates kept for the next one)")
                    .register(registry).increment();
        }
    }

    /** One EXPLAIN that reached PostgreSQL: of a retained sample or a generic plan of a masked text. */
    public void recordExplain(boolean genericPlan, boolean ok) {
        Counter.builder("sluice.querymonitor.explains")
                .description("EXPLAINs run; plan=sample (with values) or generic (masked text, no values)")
                .tag("plan", genericPlan ? "generic" : "sample").tag("outcome", ok ? "ok" : "failed")
                .register(registry).increment();
    }

    public void recordRegression() {
        regressions.increment();
    }

    public Timer snapshotTimer(String database, String outcome) {
        return Timer.builder("sluice.querymonitor.snapshot.duration")
                .description("Time to snapshot and diff pg_stat_statements of one database")
                .tag("database", database).tag("outcome", outcome).register(registry);
    }

    /** New top-K label values; series of fingerprints that dropped out are removed. */
    public void updateTop(Set<String> newTop) {
        top = Set.copyOf(newTop);
        durations.keySet().removeIf(fp -> {
            if (!fp.equals(OTHER) && !newTop.contains(fp)) {
                registry.remove(durations.get(fp));
                return true;
            }
            return false;
        });
    }

    public int topK() {
        return config.metrics().topK();
    }

    private Timer duration(String label) {
        return durations.computeIfAbsent(label, l -> Timer.builder("sluice.querymonitor.query.duration")
                .description("Duration of reported statements; fingerprint is a top-K value or other")
                .tag("fingerprint", l)
                .serviceLevelObjectives(withThreshold())
                .register(registry));
    }

    private Duration[] withThreshold() {
        Duration[] out = java.util.Arrays.copyOf(BUCKETS, BUCKETS.length + 1);
        out[BUCKETS.length] = config.slowThreshold();
        return out;
    }
}
