package io.sluice.partitionmanager.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.RetentionMode;

/**
 * Partition-manager meters. Tags come from closed sets (interval, outcome, mode) except {@code set}, whose values
 * are the declared partition sets (operator configuration, a few dozen at most); a deleted set's series go away.
 */
@Startup
@ApplicationScoped
public class PartitionManagerMetrics {

    /** Health figures of one set, as the gauges publish them. */
    public record SetFigures(String set, double runway, double gaps, double defaultRows, double partitions,
            double bytes) {
    }

    private final MeterRegistry registry;
    private final Map<Interval, Counter> plans = new EnumMap<>(Interval.class);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<RunRecord.Outcome, Timer> runs = new EnumMap<>(RunRecord.Outcome.class);
    private final Timer swapLock;
    private final Timer swapLockWait;
    private final MultiGauge runway;
    private final MultiGauge gaps;
    private final MultiGauge defaultRows;
    private final MultiGauge partitions;
    private final MultiGauge bytes;

    public PartitionManagerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Interval interval : Interval.values()) {
            plans.put(interval, Counter.builder("sluice.partitionmanager.plans")
                    .description("Partition plans computed (dry runs)")
                    .tag("interval", interval.name().toLowerCase())
                    .register(registry));
        }
        for (RunRecord.Outcome outcome : RunRecord.Outcome.values()) {
            runs.put(outcome, Timer.builder("sluice.partitionmanager.maintenance.runs")
                    .description("Maintenance runs of one set, by outcome").tag("outcome", outcome.tag())
                    .register(registry));
        }
        swapLock = Timer.builder("sluice.partitionmanager.conversion.swap.lock")
                .description("Time a conversion's swap held its table's ACCESS EXCLUSIVE lock").register(registry);
        swapLockWait = Timer.builder("sluice.partitionmanager.conversion.swap.lock.wait")
                .description("Time a conversion's swap waited for its table's lock (new queries queued behind it)")
                .register(registry);
        runway = gauge("sluice.partitionmanager.set.runway", "Future partitions present beyond the current one");
        gaps = gauge("sluice.partitionmanager.set.gaps", "Missing partitions between the oldest and the newest");
        defaultRows = gauge("sluice.partitionmanager.set.default.rows", "Rows in the default partition (capped)");
        partitions = gauge("sluice.partitionmanager.set.partitions", "Attached partitions");
        bytes = MultiGauge.builder("sluice.partitionmanager.set.size").baseUnit("bytes")
                .description("Total size of the set's partitions").register(registry);
    }

    private MultiGauge gauge(String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    public void recordPlan(Interval interval) {
        plans.get(interval).increment();
    }

    public void recordRun(RunRecord.Outcome outcome, long millis) {
        runs.get(outcome).record(millis, TimeUnit.MILLISECONDS);
    }

    /** outcome: ok, retried, lock_timeout, error. */
    public void recordDdl(String outcome) {
        counter("sluice.partitionmanager.ddl.statements", "DDL statements by outcome", "outcome", outcome).increment();
    }

    /** outcome: acquired, pg_only, busy, stale, redis_unavailable. */
    public void recordLock(String outcome) {
        counter("sluice.partitionmanager.lock.acquisitions", "Maintenance lock attempts by outcome", "outcome", outcome)
                .increment();
    }

    public void recordCreated() {
        counter("sluice.partitionmanager.partitions.created", "Partitions created", null, null).increment();
    }

    public void recordRetired(RetentionMode mode) {
        counter("sluice.partitionmanager.partitions.retired", "Partitions detached by retention", "mode",
                mode.name().toLowerCase()).increment();
    }

    public void recordRetentionRefused() {
        counter("sluice.partitionmanager.retention.refused", "Retention runs refused (foreign keys)", null, null)
                .increment();
    }

    /** outcome: verified, corrupt, restored. */
    public void recordArchive(String outcome) {
        counter("sluice.partitionmanager.archives", "Archives by outcome", "outcome", outcome).increment();
    }

    public void recordEvacuated(long rows) {
        counter("sluice.partitionmanager.default.evacuated.rows", "Rows moved out of default partitions", null, null)
                .increment(rows);
    }

    public void recordConversionRows(long rows) {
        counter("sluice.partitionmanager.conversion.copied.rows", "Rows copied by online conversions", null, null)
                .increment(rows);
    }

    public void recordReplayed(long changes) {
        counter("sluice.partitionmanager.conversion.replayed.changes", "Change-log entries replayed into twins", null,
                null).increment(changes);
    }

    /** outcome: swapped, lock_timeout, error. */
    public void recordSwapAttempt(String outcome) {
        counter("sluice.partitionmanager.conversion.swap.attempts", "Swap transactions of conversions by outcome",
                "outcome", outcome).increment();
    }

    /** How long a swap held its table's lock, and how long its lock request waited first. */
    public void recordSwap(long heldMillis, long waitedMillis) {
        swapLock.record(heldMillis, TimeUnit.MILLISECONDS);
        swapLockWait.record(waitedMillis, TimeUnit.MILLISECONDS);
    }

    public void recordConversion(String outcome) {
        counter("sluice.partitionmanager.conversions", "Conversions finished by outcome", "outcome", outcome)
                .increment();
    }

    /** Replaces the per-set gauges with these figures (sets that are gone disappear). */
    public void publish(List<SetFigures> figures) {
        runway.register(rows(figures, SetFigures::runway), true);
        gaps.register(rows(figures, SetFigures::gaps), true);
        defaultRows.register(rows(figures, SetFigures::defaultRows), true);
        partitions.register(rows(figures, SetFigures::partitions), true);
        bytes.register(rows(figures, SetFigures::bytes), true);
    }

    private static List<MultiGauge.Row<?>> rows(List<SetFigures> figures,
            java.util.function.ToDoubleFunction<SetFigures> value) {
        return figures.stream().<MultiGauge.Row<?>>map(f -> MultiGauge.Row.of(Tags.of("set", f.set()),
                value.applyAsDouble(f))).toList();
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + "|" + value, k -> {
            var builder = Counter.builder(name).description(description);
            if (tag != null) {
                builder.tag(tag, value);
            }
            return builder.register(registry);
        });
    }
}
