package io.sluice.ratelimiter.tier;

import java.util.List;

import io.sluice.ratelimiter.outage.OutageMode;
import io.sluice.ratelimiter.policy.Policy;

/** A tier in the catalogue: its policies, whether it is in shadow mode, and its Redis-down behaviour. */
public record TierSpec(List<Policy> policies, boolean shadow, OutageMode onRedisDown) {
}
