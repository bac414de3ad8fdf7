package io.sluice.ratelimiter.gcra;

import io.sluice.ratelimiter.policy.Policy;

/**
 * One policy's answer: whether it passed, what remains now, and in µs when a retry can pass ({@code -1}: never,
 * the cost exceeds the burst) and when the policy is fully replenished.
 */
public record PolicyState(Policy policy, boolean ok, long remaining, long retryAfterMicros, long resetAfterMicros) {

    /** At least 80% of the burst is used (the near-limit metric). */
    public boolean nearLimit() {
        return remaining * 5 <= policy.burst();
    }
}
