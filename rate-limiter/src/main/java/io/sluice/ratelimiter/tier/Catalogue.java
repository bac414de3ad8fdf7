package io.sluice.ratelimiter.tier;

import java.util.Map;

/** Every tier's spec; {@code version} changes with each operator change ("config" for the defaults). */
public record Catalogue(String version, Map<Tier, TierSpec> tiers) {
}
