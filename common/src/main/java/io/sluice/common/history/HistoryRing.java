package io.sluice.common.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service's chart figures over its recent past, in memory: the last {@code capacity} samples, each a map of series
 * name to value taken at one instant (nominally one every {@code step}, so {@code step × capacity} is the span kept,
 * e.g. 10 s × 360 = one hour). The oldest sample is overwritten when the ring is full; a sample in the same second
 * as the previous one replaces it (one point per second at most). Reads leave out samples older than the span, so a
 * ring whose sampler stopped does not show old figures as recent. Thread-safe; pure (no I/O, no clock of its own).
 */
public final class HistoryRing {

    private final Duration step;
    private final int capacity;
    private final long[] times;
    private final List<Map<String, Double>> figures;
    private int next;
    private int size;

    public HistoryRing(Duration step, int capacity) {
        if (step.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a history step must be at least one second, not " + step);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("a history keeps at least one point, not " + capacity);
        }
        this.step = step;
        this.capacity = capacity;
        this.times = new long[capacity];
        this.figures = new ArrayList<>(capacity);
        for (int i = 0; i < capacity; i++) {
            figures.add(Map.of());
        }
    }

    public Duration step() {
        return step;
    }

    public int capacity() {
        return capacity;
    }

    /** How far back the ring reaches when full: step × capacity. */
    public Duration span() {
        return step.multipliedBy(capacity);
    }

    /** Adds one sample; values that are not finite numbers are left out (no point rather than a wrong one). */
    public synchronized void record(Instant at, Map<String, Double> sample) {
        Map<String, Double> kept = new TreeMap<>();
        sample.forEach((name, value) -> {
            if (name != null && value != null && Double.isFinite(value)) {
                kept.put(name, value);
            }
        });
        long second = at.getEpochSecond();
        int last = Math.floorMod(next - 1, capacity);
        if (size > 0 && times[last] == second) {
            figures.set(last, Map.copyOf(kept));
            return;
        }
        times[next] = second;
        figures.set(next, Map.copyOf(kept));
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    /** Every series over the span before {@code now}, oldest point first. */
    public History all(Instant now) {
        return after(now, Long.MIN_VALUE);
    }

    /**
     * The points taken after {@code epochSecond} (exclusive) and within the span before {@code now}, by series,
     * oldest first: what a reader that already holds the points up to {@code epochSecond} is missing.
     */
    public synchronized History after(Instant now, long epochSecond) {
        long oldest = now.minus(span()).getEpochSecond();
        Map<String, List<History.Point>> series = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            int slot = Math.floorMod(next - size + i, capacity);
            long t = times[slot];
            if (t <= epochSecond || t < oldest) {
                continue;
            }
            figures.get(slot).forEach((name, value) -> series.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(new History.Point(t, value)));
        }
        return new History(step.toSeconds(), capacity, series);
    }
}
