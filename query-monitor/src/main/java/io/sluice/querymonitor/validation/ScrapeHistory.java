package io.sluice.querymonitor.validation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The figures read from one service's /q/metrics at each evaluation, kept for the longest window (24 h), so a
 * counter can be turned into its increase over a window and a gauge into its mean. One history per
 * query-monitor instance, of the instance that answers at the configured URL.
 */
final class ScrapeHistory {

    private static final Duration KEEP = Duration.ofHours(24);
    /** At most one entry per 5 s is kept, whatever the request rate: at most 17 280 entries. */
    private static final Duration MIN_SPACING = Duration.ofSeconds(5);

    record Entry(Instant at, Map<String, Double> figures) {
    }

    /**
     * The increase of each counter since the oldest scrape in the window, or since the service started when no
     * earlier scrape is inside it ({@code since == null}), or since a restart seen in between.
     */
    record Delta(Map<String, Double> increase, Instant since, boolean restarted) {

        double get(String key) {
            return increase.getOrDefault(key, 0.0);
        }

        String span(Instant now) {
            if (since == null) {
                return "since the service started (no earlier scrape in the window)";
            }
            long s = Duration.between(since, now).toSeconds();
            return "over the last " + s + " s" + (restarted ? " (the service restarted: since its start)" : "");
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized void record(Instant at, Map<String, Double> figures) {
        Entry last = entries.peekLast();
        if (last == null || !at.isBefore(last.at().plus(MIN_SPACING))) {
            entries.addLast(new Entry(at, Map.copyOf(figures)));
        }
        while (!entries.isEmpty() && entries.peekFirst().at().isBefore(at.minus(KEEP))) {
            entries.removeFirst();
        }
    }

    /** Counters' increase over the window ending at {@code now} with the current values {@code current}. */
    synchronized Delta delta(Instant now, Duration window, Map<String, Double> current) {
        Entry first = null;
        for (Entry e : entries) {
            if (!e.at().isBefore(now.minus(window)) && e.at().isBefore(now)) {
                first = e;
                break;
            }
        }
        if (first == null) {
            return new Delta(current, null, false);
        }
        Map<String, Double> increase = new HashMap<>();
        boolean restarted = false;
        for (var c : current.entrySet()) {
            double before = first.figures().getOrDefault(c.getKey(), 0.0);
            if (c.getValue() < before) {
                restarted = true;
            }
            increase.put(c.getKey(), c.getValue() - before);
        }
        return restarted ? new Delta(current, first.at(), true) : new Delta(increase, first.at(), false);
    }

    /** The highest value of a gauge over the scrapes in the window and the current value; NaN when never read. */
    synchronized double max(Instant now, Duration window, String key, Map<String, Double> current) {
        double max = current.getOrDefault(key, Double.NaN);
        for (Entry e : entries) {
            Double v = e.figures().get(key);
            if (v != null && !e.at().isBefore(now.minus(window)) && e.at().isBefore(now)) {
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return max;
    }

    /** The mean of a gauge over the scrapes in the window and the current value; NaN when it was never read. */
    synchronized double mean(Instant now, Duration window, String key, Map<String, Double> current) {
        double sum = 0;
        int n = 0;
        for (Entry e : entries) {
            Double v = e.figures().get(key);
            if (v != null && !e.at().isBefore(now.minus(window)) && e.at().isBefore(now)) {
                sum += v;
                n++;
            }
        }
        Double v = current.get(key);
        if (v != null) {
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
