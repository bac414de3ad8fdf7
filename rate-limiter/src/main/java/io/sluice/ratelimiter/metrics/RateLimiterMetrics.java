package io.sluice.ratelimiter.metrics;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.sluice.ratelimiter.tier.Tier;

/** The rate limiter's meters; tags come from closed sets (decision, tier), never from the API key. */
@Startup
@ApplicationScoped
public class RateLimiterMetrics {

    private final Map<Tier, Counter> allowed = new EnumMap<>(Tier.class);
    private final Map<Tier, Counter> limited = new EnumMap<>(Tier.class);

    public RateLimiterMetrics(MeterRegistry registry) {
        for (Tier tier : Tier.values()) {
            allowed.put(tier, decisions(registry, "allowed", tier));
            limited.put(tier, decisions(registry, "limited", tier));
        }
    }

    public void recordDecision(boolean wasAllowed, Tier tier) {
        (wasAllowed ? allowed : limited).get(tier).increment();
    }

    private static Counter decisions(MeterRegistry registry, String decision, Tier tier) {
        return Counter.builder("sluice.ratelimiter.decisions")
                .description("Rate-limit decisions by outcome and tier")
                .tag("decision", decision)
                .tag("tier", tier.name().toLowerCase())
                .register(registry);
    }
}
