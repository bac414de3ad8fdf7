package io.sluice.ratelimiter.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import io.sluice.common.history.HistorySettings;
import io.sluice.ratelimiter.outage.OutageMode;
import io.sluice.ratelimiter.tier.Tier;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "rate-limiter")
public interface RateLimiterConfig {

    /** Tier of an API key that has none assigned in Redis. */
    @WithDefault("free")
    Tier defaultTier();

    /** The default catalogue: the policies of each tier (keys: free, standard, pro, enterprise). */
    Map<Tier, TierDefaults> tiers();

    /** The largest cost one check may ask for; more is a 400. */
    @WithDefault("1000")
    @Min(1)
    int maxCost();

    /** Announced request bodies above this many bytes are refused with a 400 before they are read. */
    @WithDefault("8192")
    @Min(256)
    int maxBodyBytes();

    Redis redis();

    Admin admin();

    HotKeys hotKeys();

    Local local();

    Offenders offenders();

    /** The chart figures kept for GET /v1/history (rate-limiter.history.step, .points). */
    HistorySettings history();

    interface TierDefaults {
        /** Named policies, e.g. minute and day; names appear in the RateLimit headers. */
        @NotEmpty
        Map<String, PolicyDefaults> policies();

        /** Shadow mode for the whole tier: decisions are computed, logged and counted, but all are allowed. */
        @WithDefault("false")
        boolean shadow();

        /** What decides while Redis is unreachable: fail-open, fail-closed or local. */
        @WithDefault("local")
        OutageMode onRedisDown();
    }

    interface PolicyDefaults {
        /** Requests per window, sustained. */
        @Min(1)
        long limit();

        /** The window of {@link #limit()}. */
        Duration window();

        /** Requests an idle key may spend at once; unset means the whole window's limit. */
        OptionalInt burst();

        /** Shadow mode for this policy only. */
        @WithDefault("false")
        boolean shadow();
    }

    interface Redis {
        /** Deadline of every Redis call; past it the call counts as failed. */
        @WithDefault("50ms")
        Duration timeout();

        /** Consecutive failed calls that open the circuit breaker. */
        @WithDefault("5")
        @Min(1)
        int breakerFailures();

        /** How long an open breaker sends no call to Redis before letting one through again. */
        @WithDefault("2s")
        Duration breakerOpenFor();

        /** How often the tier catalogue is re-read from Redis, so a PUT on any instance reaches all. */
        @WithDefault("1s")
        Duration catalogueRefresh();
    }

    interface Admin {
        /** Read by common's {@code AdminToken} (the @AdminOnly guard); declared so the mapping knows the key. */
        Optional<String> token();
    }

    interface HotKeys {
        /** Keys remembered as over their limit, answered without Redis until their retry time. 0 disables. */
        @WithDefault("10000")
        @Min(0)
        int maxEntries();

        /**
         * Only refusals whose retry is at least this far are cached: a key that refills within a few ms is
         * cheaper to ask Redis about than to make wait for the local clock (which would waste its quota).
         */
        @WithDefault("100ms")
        Duration minRetry();

        /** Per-key tier settings cached in-process (always revalidated by the script's version check). */
        @WithDefault("100000")
        @Min(1)
        int maxSettings();
    }

    interface Local {
        /** Keys × policies that local in-memory buckets track while Redis is down. */
        @WithDefault("100000")
        @Min(1)
        int maxBuckets();
    }

    interface Offenders {
        /** Distinct keys counted in memory between flushes; rejections of further keys are dropped (counted). */
        @WithDefault("10000")
        @Min(1)
        int maxTracked();

        /** Keys kept per minute bucket in Redis. */
        @WithDefault("100")
        @Min(1)
        @Max(10000)
        int keepPerMinute();

        /** How often the in-memory counts go to Redis. */
        @WithDefault("5s")
        Duration flushEvery();
    }
}
