package io.sluice.replicarouter.pool;

import java.util.Arrays;

/** The last N durations (nanoseconds), for percentiles in the pool report; bounded, lock-guarded, cheap. */
public final class LatencyWindow {

    private final long[] samples;
    private int next;
    private int count;

    public LatencyWindow(int size) {
        this.samples = new long[size];
    }

    public synchronized void record(long nanos) {
        samples[next] = nanos;
        next = (next + 1) % samples.length;
        count = Math.min(count + 1, samples.length);
    }

    /** @param quantile 0..1; 0 when nothing was recorded */
    public synchronized double percentileMillis(double quantile) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(quantile * count) - 1));
        return sorted[index] / 1e6;
    }
}
