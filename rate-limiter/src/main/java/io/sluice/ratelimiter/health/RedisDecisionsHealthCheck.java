package io.sluice.ratelimiter.health;

import java.util.EnumMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.ratelimiter.gcra.HotKeys;
import io.sluice.ratelimiter.outage.RedisBreaker;
import io.sluice.ratelimiter.tier.Tier;
import io.sluice.ratelimiter.tier.TierCatalogue;

/**
 * Readiness tells the truth about decisions: DOWN with {@code state=degraded} while the Redis breaker is open
 * (checks are still answered, by each tier's outage mode, listed in the data). Liveness is not affected.
 * No I/O: it reads the breaker's state.
 */
@Readiness
@ApplicationScoped
public class RedisDecisionsHealthCheck implements HealthCheck {

    public static final String NAME = "rate-limiter-decisions";

    private final RedisBreaker breaker;
    private final TierCatalogue catalogue;
    private final HotKeys hotKeys;

    public RedisDecisionsHealthCheck(RedisBreaker breaker, TierCatalogue catalogue, HotKeys hotKeys) {
        this.breaker = breaker;
        this.catalogue = catalogue;
        this.hotKeys = hotKeys;
    }

    @Override
    public HealthCheckResponse call() {
        var since = breaker.degradedSince();
        var r = HealthCheckResponse.named(NAME).status(since.isEmpty())
                .withData("state", since.isEmpty() ? "redis" : "degraded")
                .withData("catalogueVersion", catalogue.current().version())
                .withData("hotKeyCache", hotKeys.inUse() ? "on" : "off (key-change announcements not heard)");
        since.ifPresent(s -> r.withData("degradedSince", s.toString()));
        var modes = new EnumMap<Tier, String>(Tier.class);
        catalogue.current().tiers().forEach((t, spec) -> modes.put(t, spec.onRedisDown().id()));
        modes.forEach((t, m) -> r.withData("onRedisDown." + t.id(), m));
        return r.build();
    }
}
