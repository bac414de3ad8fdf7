package io.sluice.cacheservice.stats;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * This instance's hits and lookups over the last five minutes, in one-minute buckets (for health details).
 * A bucket is reset when its minute comes round again.
 */
public final class HitRateWindow {

    private static final int MINUTES = 5;

    private final Clock clock;
    private final AtomicLongArray minute = new AtomicLongArray(MINUTES);
    private final AtomicLongArray hits = new AtomicLongArray(MINUTES);
    private final AtomicLongArray lookups = new AtomicLongArray(MINUTES);

    public HitRateWindow(Clock clock) {
        this.clock = clock;
    }

    public void record(boolean hit) {
        long now = clock.millis() / 60_000;
        int i = (int) (now % MINUTES);
        long seen = minute.get(i);
        if (seen != now && minute.compareAndSet(i, seen, now)) {
            hits.set(i, 0);
            lookups.set(i, 0);
        }
        lookups.incrementAndGet(i);
        if (hit) {
            hits.incrementAndGet(i);
        }
    }

    /** Hits / lookups over the last five minutes, or -1 when there were no lookups. */
    public double hitRate() {
        long now = clock.millis() / 60_000;
        long h = 0;
        long l = 0;
        for (int i = 0; i < MINUTES; i++) {
            if (now - minute.get(i) < MINUTES) {
                h += hits.get(i);
                l += lookups.get(i);
            }
        }
        return l == 0 ? -1 : (double) h / l;
    }

    public long lookups() {
        long now = clock.millis() / 60_000;
        long l = 0;
        for (int i = 0; i < MINUTES; i++) {
            if (now - minute.get(i) < MINUTES) {
                l += lookups.get(i);
            }
        }
        return l;
    }
}
