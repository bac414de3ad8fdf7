package io.sluice.querymonitor.validation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What one service's metrics gave at this evaluation: its figures now, their increase over the window, and the
 * history to read gauges over the window from; or why they could not be read.
 */
record Scraped(String service, Map<String, Double> now, ScrapeHistory.Delta delta, ScrapeHistory history,
        Instant at, Duration window, String unreachable) {

    static Scraped unreachable(String service, String why) {
        return new Scraped(service, Map.of(), null, null, null, null, why);
    }

    boolean ok() {
        return unreachable == null;
    }

    /** The reason a target of this service is unknown when the service could not be read. */
    String why() {
        return unreachable.startsWith("answered ") ? service + " " + unreachable : service + " unreachable: " + unreachable;
    }

    double max(String key) {
        return history.max(at, window, key, now);
    }

    double mean(String key) {
        return history.mean(at, window, key, now);
    }

    /** Figure keys that start with {@code prefix} (e.g. one per node). */
    Set<String> keys(String prefix) {
        return now.keySet().stream().filter(k -> k.startsWith(prefix)).collect(java.util.stream.Collectors.toSet());
    }
}
