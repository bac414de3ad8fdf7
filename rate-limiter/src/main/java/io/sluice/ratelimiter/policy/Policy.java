package io.sluice.ratelimiter.policy;

import java.util.regex.Pattern;

/**
 * One limit of a key: {@code limit} requests per {@code windowSeconds}, of which {@code burst} may arrive at
 * once on an idle key (GCRA: emission interval T = window / limit, tolerance = T × burst).
 * A shadow policy is evaluated and counted but never refuses a request.
 */
public record Policy(String name, long limit, long windowSeconds, long burst, boolean shadow) {

    /** Policy names appear as tokens in the RateLimit headers, so they stay short and plain. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public Policy {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("policy name must match " + NAME + ": " + name);
        }
        if (limit < 1 || windowSeconds < 1 || burst < 1) {
            throw new IllegalArgumentException("policy " + name + ": limit, window and burst must be at least 1");
        }
        if (intervalMicros(limit, windowSeconds) < 1) {
            throw new IllegalArgumentException("policy " + name + ": more than one request per microsecond");
        }
    }

    /** GCRA emission interval T: one request's share of the window. */
    public long intervalMicros() {
        return intervalMicros(limit, windowSeconds);
    }

    /** GCRA tolerance: how far ahead of now the theoretical arrival time may run. */
    public long toleranceMicros() {
        return intervalMicros() * burst;
    }

    private static long intervalMicros(long limit, long windowSeconds) {
        return windowSeconds * 1_000_000L / limit;
    }
}
