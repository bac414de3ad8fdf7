package io.sluice.ratelimiter.tier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.policy.Policy;
import io.sluice.ratelimiter.policy.PolicySet;

/** The policies in force for a key: its tier's (or the default tier's), with its overrides merged by name. */
@ApplicationScoped
public class PolicyResolver {

    /** Headers and bodies list policies in this order, so they are the same on every instance. */
    public static final Comparator<Policy> SHORTEST_WINDOW_FIRST =
            Comparator.comparingLong(Policy::windowSeconds).thenComparing(Policy::name);

    private final TierCatalogue catalogue;
    private final Tier defaultTier;

    public PolicyResolver(TierCatalogue catalogue, RateLimiterConfig config) {
        this.catalogue = catalogue;
        this.defaultTier = config.defaultTier();
    }

    public PolicySet resolve(KeySettings settings) {
        Catalogue current = catalogue.current();
        Tier tier = settings.tier() == null ? defaultTier : settings.tier();
        TierSpec spec = current.tiers().get(tier);
        Map<String, Policy> byName = new LinkedHashMap<>();
        spec.policies().forEach(p -> byName.put(p.name(), p));
        settings.overrides().forEach((name, override) -> {
            if (override == null) {
                byName.remove(name);
            } else {
                byName.put(name, override.toPolicy(name));
            }
        });
        List<Policy> policies = new ArrayList<>(byName.values());
        policies.sort(SHORTEST_WINDOW_FIRST);
        return new PolicySet(tier, List.copyOf(policies), spec.shadow(), spec.onRedisDown(),
                settings.version() + "/" + current.version());
    }
}
