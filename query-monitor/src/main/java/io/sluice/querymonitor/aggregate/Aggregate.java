package io.sluice.querymonitor.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sluice.querymonitor.sketch.LogSketch;

/**
 * The counters and latency sketch of one fingerprint and database over one time bucket. Samples fill the
 * counters and the sketch; pg_stat_statements deltas fill the {@code statement*} counters (they carry no per-call
 * distribution). In Redis it is one hash whose fields are only ever incremented, so instances add to it freely;
 * {@code max} is the one field set by comparison, inside the same Lua call.
 */
public final class Aggregate {

    static final String CALLS = "c";
    static final String ERRORS = "e";
    static final String ROWS = "r";
    static final String SLOW = "s";
    static final String TOTAL_US = "t";
    static final String MAX_US = "m";
    static final String STATEMENT_CALLS = "pc";
    static final String STATEMENT_TOTAL_US = "pt";
    static final String STATEMENT_ROWS = "pr";
    private static final String BUCKET = "b";
    private static final String ZERO = "bz";

    private long calls;
    private long errors;
    private long rows;
    private long slow;
    private long totalUs;
    private long maxUs;
    private long statementCalls;
    private long statementTotalUs;
    private long statementRows;
    private final LogSketch sketch;

    public Aggregate(double relativeAccuracy) {
        this.sketch = new LogSketch(relativeAccuracy);
    }

    public void addSample(double durationMs, long rowCount, boolean failed, boolean isSlow) {
        long us = Math.round(durationMs * 1000);
        calls++;
        rows += rowCount;
        totalUs += us;
        maxUs = Math.max(maxUs, us);
        if (failed) {
            errors++;
        }
        if (isSlow) {
            slow++;
        }
        sketch.add(durationMs);
    }

    public void addStatements(long deltaCalls, double deltaTotalMs, long deltaRows) {
        statementCalls += deltaCalls;
        statementTotalUs += Math.round(deltaTotalMs * 1000);
        statementRows += deltaRows;
    }

    public void merge(Aggregate o) {
        calls += o.calls;
        errors += o.errors;
        rows += o.rows;
        slow += o.slow;
        totalUs += o.totalUs;
        maxUs = Math.max(maxUs, o.maxUs);
        statementCalls += o.statementCalls;
        statementTotalUs += o.statementTotalUs;
        statementRows += o.statementRows;
        sketch.merge(o.sketch);
    }

    /** Removes a part of this aggregate (e.g. the recent window from the day that contains it); max stays. */
    public void subtract(Aggregate part) {
        calls -= part.calls;
        errors -= part.errors;
        rows -= part.rows;
        slow -= part.slow;
        totalUs -= part.totalUs;
        statementCalls -= part.statementCalls;
        statementTotalUs -= part.statementTotalUs;
        statementRows -= part.statementRows;
        sketch.subtract(part.sketch);
    }

    /** Field/increment pairs for the Redis hash (zero increments left out). */
    List<String> increments() {
        List<String> out = new ArrayList<>();
        pair(out, CALLS, calls);
        pair(out, ERRORS, errors);
        pair(out, ROWS, rows);
        pair(out, SLOW, slow);
        pair(out, TOTAL_US, totalUs);
        pair(out, STATEMENT_CALLS, statementCalls);
        pair(out, STATEMENT_TOTAL_US, statementTotalUs);
        pair(out, STATEMENT_ROWS, statementRows);
        sketch.buckets().forEach((b, n) -> pair(out, b == LogSketch.ZERO_BUCKET ? ZERO : BUCKET + b, n));
        return out;
    }

    long maxUs() {
        return maxUs;
    }

    /** Adds a hash read from Redis. */
    void addFromRedis(Map<String, String> hash) {
        hash.forEach((field, value) -> {
            long v = Long.parseLong(value);
            switch (field) {
                case CALLS -> calls += v;
                case ERRORS -> errors += v;
                case ROWS -> rows += v;
                case SLOW -> slow += v;
                case TOTAL_US -> totalUs += v;
                case MAX_US -> maxUs = Math.max(maxUs, v);
                case STATEMENT_CALLS -> statementCalls += v;
                case STATEMENT_TOTAL_US -> statementTotalUs += v;
                case STATEMENT_ROWS -> statementRows += v;
                case ZERO -> sketch.addToBucket(LogSketch.ZERO_BUCKET, v);
                default -> {
                    if (field.startsWith(BUCKET)) {
                        sketch.addToBucket(Integer.parseInt(field.substring(1)), v);
                    }
                }
            }
        });
    }

    private static void pair(List<String> out, String field, long n) {
        if (n != 0) {
            out.add(field);
            out.add(Long.toString(n));
        }
    }

    public long calls() {
        return calls;
    }

    public long errors() {
        return errors;
    }

    public long rows() {
        return rows;
    }

    public long slow() {
        return slow;
    }

    public double totalMs() {
        return totalUs / 1000.0;
    }

    public double maxMs() {
        return maxUs / 1000.0;
    }

    public double meanMs() {
        return calls == 0 ? 0 : totalMs() / calls;
    }

    public double quantileMs(double q) {
        return sketch.quantile(q);
    }

    public long statementCalls() {
        return statementCalls;
    }

    public double statementTotalMs() {
        return statementTotalUs / 1000.0;
    }

    public long statementRows() {
        return statementRows;
    }
}
