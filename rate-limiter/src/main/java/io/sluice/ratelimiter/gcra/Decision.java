package io.sluice.ratelimiter.gcra;

import java.util.List;

import io.sluice.ratelimiter.policy.PolicySet;

/**
 * The outcome of one check. {@code allowed} is what the caller must do; {@code enforcedAllowed} is what the
 * policies said before shadow mode (they differ only when shadow mode let a request through).
 */
public record Decision(boolean allowed, boolean enforcedAllowed, PolicySet set, List<PolicyState> states,
        Source source) {

    /** The policies that refused this request (shadow ones included, for the log). */
    public List<PolicyState> violated() {
        return states.stream().filter(s -> !s.ok()).toList();
    }

    /** Microseconds until a retry of the same cost can pass; -1 when it never can. */
    public long retryAfterMicros() {
        long max = 0;
        for (PolicyState s : states) {
            if (!s.ok() && !s.policy().shadow()) {
                if (s.retryAfterMicros() < 0) {
                    return -1;
                }
                max = Math.max(max, s.retryAfterMicros());
            }
        }
        return max;
    }

    public boolean shadowed() {
        return allowed && !violated().isEmpty();
    }
}
