package io.sluice.querymonitor.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.querymonitor.config.QueryMonitorConfig;

/**
 * Adds samples and snapshot deltas up in memory until the next flush takes them to Redis (~1 s). Memory is
 * bounded: fingerprints live in an LRU of configured size, and pending aggregates only until the next flush.
 * One lock: every operation is a few map updates.
 */
@ApplicationScoped
public class Aggregator {

    /** What a flush takes out: aggregates per target and the fingerprints whose metadata changed. */
    public record Drained(Map<Target, Aggregate> aggregates, List<FingerprintMeta> metas,
            List<RetainedSample> retained) {
    }

    public record FingerprintMeta(String fingerprint, String normalized, long lastSeenMs) {
    }

    public record RetainedSample(String fingerprint, String sql, String database) {
    }

    private final double accuracy;
    private final int maxFingerprints;
    private final long sampleTtlMs;
    private final LinkedHashMap<String, TrackedFingerprint> tracked;
    private Map<Target, Aggregate> pending = new HashMap<>();
    private long evicted;

    public Aggregator(QueryMonitorConfig config) {
        this.accuracy = config.aggregation().relativeAccuracy();
        this.maxFingerprints = config.aggregation().maxFingerprints();
        this.sampleTtlMs = config.explain().sampleTtl().toMillis();
        this.tracked = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TrackedFingerprint> eldest) {
                boolean full = size() > maxFingerprints;
                if (full) {
                    evicted++;
                }
                return full;
            }
        };
    }

    /** One validated, fingerprinted sample, added to each of its targets. */
    public record Entry(String fingerprint, String normalized, String executable, String database,
            double durationMs, long rows, boolean failed, boolean slow, long atMs, List<Target> targets) {
    }

    public synchronized void add(List<Entry> entries) {
        for (Entry e : entries) {
            TrackedFingerprint t = tracked.computeIfAbsent(e.fingerprint(), k -> new TrackedFingerprint());
            if (e.normalized() != null && t.normalized == null) {
                t.normalized = e.normalized();
            }
            if (e.executable() != null && t.retainedUntilMs < e.atMs()) {
                t.executable = e.executable();
                t.executableDatabase = e.database();
                t.retainedUntilMs = e.atMs() + sampleTtlMs;
            }
            t.lastSeenMs = Math.max(t.lastSeenMs, e.atMs());
            t.dirty = true;
            for (Target target : e.targets()) {
                pending.computeIfAbsent(target, k -> new Aggregate(accuracy))
                        .addSample(e.durationMs(), e.rows(), e.failed(), e.slow());
            }
        }
    }

    /** A pg_stat_statements delta for a fingerprint; its normalized text comes from the statement's text. */
    public synchronized void addStatements(String fingerprint, String normalized, Target target, long calls,
            double totalMs, long rows, long atMs) {
        TrackedFingerprint t = tracked.computeIfAbsent(fingerprint, k -> new TrackedFingerprint());
        if (t.normalized == null) {
            t.normalized = normalized;
        }
        t.lastSeenMs = Math.max(t.lastSeenMs, atMs);
        t.dirty = true;
        pending.computeIfAbsent(target, k -> new Aggregate(accuracy)).addStatements(calls, totalMs, rows);
    }

    public synchronized Drained drain() {
        Map<Target, Aggregate> out = pending;
        pending = new HashMap<>();
        List<FingerprintMeta> metas = new ArrayList<>();
        List<RetainedSample> retained = new ArrayList<>();
        tracked.forEach((fp, t) -> {
            if (t.dirty) {
                metas.add(new FingerprintMeta(fp, t.normalized, t.lastSeenMs));
                t.dirty = false;
            }
            if (t.executable != null) {
                retained.add(new RetainedSample(fp, t.executable, t.executableDatabase));
                t.executable = null;
            }
        });
        return new Drained(out, metas, retained);
    }

    /** Puts back what a failed flush took out, so a Redis outage loses nothing that fits in memory. */
    public synchronized void restore(Map<Target, Aggregate> aggregates) {
        aggregates.forEach((target, agg) -> {
            if (pending.size() < maxFingerprints * 4 || pending.containsKey(target)) {
                pending.computeIfAbsent(target, k -> new Aggregate(accuracy)).merge(agg);
            }
        });
    }

    public synchronized int trackedFingerprints() {
        return tracked.size();
    }

    public synchronized int pendingAggregates() {
        return pending.size();
    }

    public synchronized long evictedFingerprints() {
        return evicted;
    }
}
