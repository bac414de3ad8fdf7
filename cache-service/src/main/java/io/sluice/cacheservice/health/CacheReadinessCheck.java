package io.sluice.cacheservice.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.invalidation.NotifyListener;
import io.sluice.cacheservice.invalidation.RetriedInvalidations;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.cacheservice.stats.NamespaceStats;
import io.smallrye.mutiny.Uni;

/**
 * Ready while the service answers, which it does without Redis (requests bypass to the database): Redis down
 * is reported as {@code mode: degraded}, not as unready, so a load balancer keeps sending traffic. Data: Redis
 * state, the hit rate over the last five minutes (this instance), near-cache size, loader, NOTIFY listener.
 */
@Readiness
@ApplicationScoped
public class CacheReadinessCheck implements AsyncHealthCheck {

    public static final String NAME = "cache-service";

    private final RedisGuard guard;
    private final NamespaceStats stats;
    private final NearCache near;
    private final NotifyListener notify;
    private final RetriedInvalidations retried;
    private final CacheServiceConfig config;

    public CacheReadinessCheck(RedisGuard guard, NamespaceStats stats, NearCache near, NotifyListener notify,
            RetriedInvalidations retried, CacheServiceConfig config) {
        this.retried = retried;
        this.guard = guard;
        this.stats = stats;
        this.near = near;
        this.notify = notify;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        double rate = stats.window().hitRate();
        var b = HealthCheckResponse.named(NAME).up()
                .withData("mode", guard.isDown() ? "degraded" : "normal")
                .withData("redis", guard.isDown()
                        ? "down since " + guard.downSince() + ": requests bypass the cache to the database"
                        : "up")
                .withData("hitRate5m", rate < 0 ? "no lookups" : String.format(java.util.Locale.ROOT, "%.4f", rate))
                .withData("lookups5m", stats.window().lookups())
                .withData("nearCacheEntries", near.size())
                .withData("loader", config.loader().routerUrl().isPresent() ? "replica-router" : "own pool")
                .withData("notifyListener", !config.invalidation().notifyEnabled() ? "off"
                        : notify.connected() ? "listening" : "not connected (retrying)")
                .withData("notifyInvalidationsWaiting", retried.waiting());
        return Uni.createFrom().item(b.build());
    }
}
