package io.sluice.querymonitor.sketch;

import java.util.Map;
import java.util.TreeMap;

/**
 * A DDSketch-style latency distribution: a value x > 0 is counted in bucket ceil(log_gamma(x)) with
 * gamma = (1 + a) / (1 - a), so any quantile is answered within relative error a of the true value at that rank.
 * Buckets are plain counters, so sketches merge by adding counts: each instance adds its buckets to Redis and
 * any instance reads the fleet's distribution. Values are milliseconds; anything at or below
 * {@link #MIN_MS} (1 µs) is counted in the zero bucket. Not thread-safe.
 */
public final class LogSketch {

    public static final double MIN_MS = 0.001;
    /** Bucket index of values at or below MIN_MS. */
    public static final int ZERO_BUCKET = Integer.MIN_VALUE;

    private final double gamma;
    private final double logGamma;
    private final TreeMap<Integer, Long> buckets = new TreeMap<>();
    private long count;

    public LogSketch(double relativeAccuracy) {
        this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        this.logGamma = Math.log(gamma);
    }

    public void add(double valueMs) {
        addToBucket(bucketOf(valueMs), 1);
    }

    public int bucketOf(double valueMs) {
        return valueMs <= MIN_MS ? ZERO_BUCKET : (int) Math.ceil(Math.log(valueMs) / logGamma);
    }

    public void addToBucket(int bucket, long n) {
        if (n > 0) {
            buckets.merge(bucket, n, Long::sum);
            count += n;
        }
    }

    public void merge(LogSketch other) {
        other.buckets.forEach(this::addToBucket);
    }

    /** Removes the counts of a sketch whose values were also added to this one. */
    public void subtract(LogSketch part) {
        part.buckets.forEach((b, n) -> {
            long left = buckets.getOrDefault(b, 0L) - n;
            count -= Math.min(n, buckets.getOrDefault(b, 0L));
            if (left > 0) {
                buckets.put(b, left);
            } else {
                buckets.remove(b);
            }
        });
    }

    public long count() {
        return count;
    }

    /** Bucket index to count, ascending. */
    public Map<Integer, Long> buckets() {
        return java.util.Collections.unmodifiableMap(buckets);
    }

    /**
     * The value at rank floor(q * (count - 1)) (0-based, ascending), within the relative accuracy; 0 when empty.
     */
    public double quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.floor(q * (count - 1));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
            seen += e.getValue();
            if (seen > rank) {
                return valueOf(e.getKey());
            }
        }
        return valueOf(buckets.lastKey());
    }

    /** The representative of a bucket: the point whose relative distance to both bucket ends is equal. */
    private double valueOf(int bucket) {
        if (bucket == ZERO_BUCKET) {
            return 0;
        }
        return 2 * Math.pow(gamma, bucket) / (gamma + 1);
    }
}
