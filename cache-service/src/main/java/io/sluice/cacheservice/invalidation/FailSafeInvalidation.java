package io.sluice.cacheservice.invalidation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.cacheservice.tag.TagStore;
import io.sluice.cacheservice.tag.Tags;
import io.smallrye.mutiny.Uni;

/**
 * Invalidates every query result when writes may have been missed and which ones is unknown, rate-limited for the
 * fleet: each instance that detects the same event (Redis back, say) would otherwise empty the cache again, a miss
 * storm each time. The database tag's version is the Redis time of its last bump, so an instance that detected a
 * possible loss at time D skips when the tag was bumped after D (covered), waits when it was bumped less than
 * {@code fail-safe-min-interval} ago and bumps then, unless meanwhile covered (deferred), and bumps otherwise. No
 * loss goes uncovered; at most one bump per interval, and a lost write may be served for at most that long.
 */
@ApplicationScoped
public class FailSafeInvalidation {

    private static final Logger LOG = Logger.getLogger(FailSafeInvalidation.class);

    private final ReactiveRedisDataSource redis;
    private final TagStore tags;
    private final InvalidationService invalidation;
    private final RedisGuard guard;
    private final CacheMetrics metrics;
    private final long minIntervalMicros;
    /** The latest detection time waiting for a deferred bump, 0 when none waits. */
    private final AtomicLong deferredDetection = new AtomicLong();

    public FailSafeInvalidation(ReactiveRedisDataSource redis, TagStore tags, InvalidationService invalidation,
            RedisGuard guard, CacheMetrics metrics, CacheServiceConfig config) {
        this.redis = redis;
        this.tags = tags;
        this.invalidation = invalidation;
        this.guard = guard;
        this.metrics = metrics;
        this.minIntervalMicros = config.invalidation().failSafeMinInterval().toNanos() / 1000;
    }

    /** @param why for the log: what may have been missed */
    public Uni<Void> invalidateAll(String why) {
        return redisTime().chain(detected -> decide(detected, why));
    }

    /**
     * What to do, {@code now}, about a loss detected at {@code detected} when the database tag was last bumped at
     * {@code last} (Redis times, µs): 0 = covered already, a negative value = bump now, a positive one = wait that
     * many µs, then decide again.
     */
    static long plan(long last, long detected, long now, long minIntervalMicros) {
        if (last >= detected) {
            return 0;
        }
        long wait = last + minIntervalMicros - now;
        return wait <= 0 ? -1 : wait;
    }

    /** Whether a deferred invalidation of every query result waits to be applied on this instance. */
    public boolean pending() {
        return deferredDetection.get() != 0;
    }

    private Uni<Long> redisTime() {
        return guard.call(redis.execute("TIME")).map(t -> t.get(0).toLong() * 1_000_000 + t.get(1).toLong());
    }

    private Uni<Void> decide(long detected, String why) {
        return Uni.combine().all().unis(lastBump(), redisTime()).asTuple().chain(t -> {
            long waitMicros = plan(t.getItem1(), detected, t.getItem2(), minIntervalMicros);
            if (waitMicros == 0) {
                metrics.recordFailSafe("covered");
                LOG.debugf("every query result was invalidated since (%s)", why);
                return Uni.createFrom().voidItem();
            }
            if (waitMicros < 0) {
                metrics.recordFailSafe("applied");
                return invalidation.invalidateDatabase(why).replaceWithVoid();
            }
            metrics.recordFailSafe("deferred");
            // One deferred bump per instance, for the latest loss detected meanwhile (it covers the earlier ones).
            if (deferredDetection.getAndAccumulate(detected, Math::max) == 0) {
                LOG.infof("invalidating every query result in %d ms (%s): the last was less than %d ms ago",
                        waitMicros / 1000, why, minIntervalMicros / 1000);
                Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(waitMicros * 1000))
                        .chain(() -> decide(deferredDetection.getAndSet(0), why))
                        .subscribe().with(v -> { }, e -> LOG.warnf("deferred invalidation of every query result "
                                + "failed (%s): %s; Redis back will invalidate again", why, e.getMessage()));
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Long> lastBump() {
        return tags.versions(List.of(Tags.DATABASE)).map(v -> Long.parseLong(v.get(Tags.DATABASE)));
    }
}
