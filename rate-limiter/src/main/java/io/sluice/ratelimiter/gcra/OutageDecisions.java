package io.sluice.ratelimiter.gcra;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.outage.LocalBuckets;
import io.sluice.ratelimiter.policy.Policy;
import io.sluice.ratelimiter.policy.PolicySet;

/** Decides while Redis is unreachable, as the key's tier is configured: fail-open, fail-closed or local. */
@ApplicationScoped
public class OutageDecisions {

    private final LocalBuckets local;
    private final long closedRetryMicros;

    public OutageDecisions(LocalBuckets local, RateLimiterConfig config) {
        this.local = local;
        this.closedRetryMicros = Math.max(1_000_000, config.redis().breakerOpenFor().toNanos() / 1000);
    }

    public Decision decide(String keyHash, PolicySet set, long cost) {
        return switch (set.onRedisDown()) {
            // Nothing is counted: the policies report their whole burst.
            case FAIL_OPEN -> new Decision(true, true, set, states(set.policies(), true, 0), Source.FAIL_OPEN);
            case FAIL_CLOSED -> new Decision(set.shadow(), false, set, states(set.policies(), false,
                    closedRetryMicros), Source.FAIL_CLOSED);
            case LOCAL -> {
                List<PolicyState> states = local.check(keyHash, set.policies(), cost);
                boolean passed = states.stream().allMatch(s -> s.ok() || s.policy().shadow());
                yield new Decision(passed || set.shadow(), passed, set, states, Source.LOCAL);
            }
        };
    }

    private static List<PolicyState> states(List<Policy> policies, boolean ok, long retryMicros) {
        return policies.stream()
                .map(p -> new PolicyState(p, ok, ok ? p.burst() : 0, ok ? 0 : retryMicros, 0))
                .toList();
    }
}
