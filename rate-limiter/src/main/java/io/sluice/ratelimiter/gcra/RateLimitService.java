package io.sluice.ratelimiter.gcra;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.hash.Hashes;
import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.metrics.RateLimiterMetrics;
import io.sluice.ratelimiter.tier.Tier;
import io.smallrye.mutiny.Uni;

/** Decides whether an API key may make a request, by the limit of its tier. */
@ApplicationScoped
public class RateLimitService {

    private final GcraStore store;
    private final RateLimiterConfig config;
    private final RateLimiterMetrics metrics;

    public RateLimitService(GcraStore store, RateLimiterConfig config, RateLimiterMetrics metrics) {
        this.store = store;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Decision> check(String apiKey, int cost) {
        Tier tier = config.defaultTier();
        var limit = config.tiers().get(tier);
        var interval = limit.period().dividedBy(limit.limit());
        return store.check(redisKey(apiKey, tier), interval, limit.burst(), cost, limit.limit())
                .invoke(decision -> metrics.recordDecision(decision.allowed(), tier));
    }

    /** API keys are secrets: Redis only ever sees a hash. The {hash tag} keeps a key's state in one slot. */
    static String redisKey(String apiKey, Tier tier) {
        return "sluice:ratelimiter:{" + Hashes.sha256Hex(apiKey, 16) + "}:gcra:" + tier.name().toLowerCase();
    }
}
