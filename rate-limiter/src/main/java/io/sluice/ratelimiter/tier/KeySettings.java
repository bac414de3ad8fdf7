package io.sluice.ratelimiter.tier;

import java.util.Map;

/**
 * What an operator set for one key: its tier (null: the default tier) and policy overrides by name (a spec
 * replaces or adds that policy; a null value removes it). {@code version} "0" means nothing is stored.
 */
public record KeySettings(String version, Tier tier, Map<String, PolicySpec> overrides) {

    public static final KeySettings NONE = new KeySettings("0", null, Map.of());
}
