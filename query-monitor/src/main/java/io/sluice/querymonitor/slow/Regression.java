package io.sluice.querymonitor.slow;

import java.time.Instant;

/** A fingerprint whose recent p95 exceeded k times its p95 over the rest of the last 24 h. */
public record Regression(String fingerprint, String database, Instant detectedAt, String window, double recentP95Ms,
        double baselineP95Ms, long recentCalls, double factor) {
}
