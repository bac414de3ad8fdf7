package io.sluice.ratelimiter.offenders;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.metrics.RateLimiterMetrics;

/**
 * Counts rejections per hashed key in memory between flushes to Redis. Bounded: once {@code max-tracked}
 * distinct keys are counted, rejections of further keys until the next flush are dropped and counted.
 */
@ApplicationScoped
public class OffenderTracker {

    private final int max;
    private final RateLimiterMetrics metrics;
    private volatile ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    public OffenderTracker(RateLimiterConfig config, RateLimiterMetrics metrics) {
        this.max = config.offenders().maxTracked();
        this.metrics = metrics;
    }

    public void rejected(String keyHash) {
        var map = counts;
        LongAdder adder = map.get(keyHash);
        if (adder == null) {
            if (map.size() >= max) {
                metrics.recordOffenderDropped();
                return;
            }
            adder = map.computeIfAbsent(keyHash, k -> new LongAdder());
        }
        adder.increment();
    }

    /** The counts since the last drain; counting starts afresh. */
    public Map<String, LongAdder> drain() {
        var drained = counts;
        counts = new ConcurrentHashMap<>();
        return drained;
    }
}
