package io.sluice.common.history;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns counters (totals since start) into what happened between two samples. The first reading of a name counts
 * from zero, as a counter does when its process starts; a total that went down (the counter was re-registered)
 * counts from zero again. Thread-safe; pure.
 */
public final class CounterDeltas {

    private final Map<String, Double> last = new HashMap<>();

    /** The increase of the named total since the previous call with that name. */
    public synchronized double increase(String name, double total) {
        Double before = last.put(name, total);
        if (before == null || total < before) {
            return total;
        }
        return total - before;
    }

    /**
     * {@code part / whole} of two increases (e.g. hits over lookups), or null when {@code whole} did not move: a
     * ratio of nothing is no point, not zero.
     */
    public static Double ratio(double part, double whole) {
        return whole > 0 ? part / whole : null;
    }
}
