package io.sluice.ratelimiter.api;

import io.sluice.ratelimiter.gcra.PolicyState;

/**
 * One policy in a response: {@code limit} per {@code window} seconds, {@code burst} at once, what
 * {@code remaining} now, {@code reset} seconds until fully replenished, and whether it refused this request.
 */
public record PolicyView(String name, long limit, long window, long burst, long remaining, long reset,
        boolean shadow, boolean violated) {

    static PolicyView of(PolicyState s) {
        return new PolicyView(s.policy().name(), s.policy().limit(), s.policy().windowSeconds(), s.policy().burst(),
                s.remaining(), ceilSeconds(s.resetAfterMicros()), s.policy().shadow(), !s.ok());
    }

    static long ceilSeconds(long micros) {
        return micros <= 0 ? 0 : (micros + 999_999) / 1_000_000;
    }
}
