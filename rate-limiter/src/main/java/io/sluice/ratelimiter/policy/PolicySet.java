package io.sluice.ratelimiter.policy;

import java.util.List;

import io.sluice.ratelimiter.outage.OutageMode;
import io.sluice.ratelimiter.tier.Tier;

/**
 * Everything that decides for one key: its tier, the policies in force (tier defaults merged with the key's
 * overrides), whether the whole tier is in shadow mode and what decides while Redis is down. {@code version}
 * changes whenever any of it may have changed (key settings or catalogue), so caches keyed by it go stale.
 */
public record PolicySet(Tier tier, List<Policy> policies, boolean shadow, OutageMode onRedisDown, String version) {

    public long smallestBurst() {
        return policies.stream().mapToLong(Policy::burst).min().orElse(0);
    }
}
