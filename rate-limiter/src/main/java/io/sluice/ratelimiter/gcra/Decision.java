package io.sluice.ratelimiter.gcra;

import java.time.Duration;

/** The outcome of one check: allowed or not, what is left, and when the key is usable / fully reset. */
public record Decision(boolean allowed, long limit, long remaining, Duration retryAfter, Duration resetAfter) {
}
