package io.sluice.ratelimiter.tier;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.policy.Policy;

/** The tier catalogue this instance decides with: the config's defaults until an operator replaces a tier. */
@ApplicationScoped
public class TierCatalogue {

    public static final String DEFAULTS_VERSION = "config";

    private final Catalogue defaults;
    private final AtomicReference<Catalogue> current;

    public TierCatalogue(RateLimiterConfig config) {
        Map<Tier, TierSpec> tiers = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            var t = config.tiers().get(tier);
            if (t == null) {
                throw new IllegalStateException("rate-limiter.tiers." + tier.id() + " is not configured");
            }
            List<Policy> policies = new ArrayList<>();
            t.policies().forEach((name, p) -> policies.add(new Policy(name, p.limit(), p.window().toSeconds(),
                    p.burst().orElse((int) Math.min(Integer.MAX_VALUE, p.limit())), p.shadow())));
            policies.sort(PolicyResolver.SHORTEST_WINDOW_FIRST);
            tiers.put(tier, new TierSpec(List.copyOf(policies), t.shadow(), t.onRedisDown()));
        }
        defaults = new Catalogue(DEFAULTS_VERSION, Map.copyOf(tiers));
        current = new AtomicReference<>(defaults);
    }

    public Catalogue current() {
        return current.get();
    }

    public Catalogue defaults() {
        return defaults;
    }

    /** Adopts a catalogue read from Redis (or written here); the new version invalidates hot-key entries. */
    public void adopt(Catalogue catalogue) {
        current.set(catalogue);
    }
}
