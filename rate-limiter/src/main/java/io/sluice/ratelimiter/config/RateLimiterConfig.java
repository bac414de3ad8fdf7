package io.sluice.ratelimiter.config;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.Min;

import io.sluice.ratelimiter.tier.Tier;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "rate-limiter")
public interface RateLimiterConfig {

    /** Tier of an API key that has none assigned. */
    @WithDefault("free")
    Tier defaultTier();

    /** The limit of each tier (keys: free, standard, pro, enterprise). */
    Map<Tier, Limit> tiers();

    interface Limit {
        /** Requests allowed per period, sustained. */
        @Min(1)
        int limit();

        /** The period of {@link #limit()}. */
        @WithDefault("1m")
        Duration period();

        /** Requests that may arrive at once on an idle key. */
        @Min(1)
        int burst();
    }
}
