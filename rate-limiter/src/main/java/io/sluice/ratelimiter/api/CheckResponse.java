package io.sluice.ratelimiter.api;

import io.sluice.ratelimiter.gcra.Decision;

/** An allowed request: the limit, what remains, and seconds until the key is fully replenished. */
public record CheckResponse(boolean allowed, long limit, long remaining, long resetSeconds) {

    static CheckResponse from(Decision d) {
        return new CheckResponse(d.allowed(), d.limit(), d.remaining(), ceilSeconds(d.resetAfter().toMillis()));
    }

    static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
