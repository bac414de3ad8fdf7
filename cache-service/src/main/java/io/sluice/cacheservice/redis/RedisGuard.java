package io.sluice.cacheservice.redis;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.common.redis.RedisOutage;
import io.smallrye.mutiny.Uni;

/**
 * Whether Redis is usable, decided by the commands themselves. An error reply (BUSYGROUP, NOGROUP, ...) means Redis
 * answered and is passed on for the caller to handle; anything else is an outage ({@link RedisUnavailable}),
 * including the client's own CONNECTION_CLOSED for a command pending on a connection that closed
 * ({@link RedisOutage}). Every command has a deadline
 * ({@code redis.timeout}); a failed command makes its own request bypass the cache, and
 * {@code redis.failures-before-down} failures in a row mark Redis down: for {@code redis.retry-after} requests skip
 * it instead of each waiting for a timeout. The first command after that is a probe; when one succeeds, the
 * recovery listeners run (flush the near cache, fail safe on writes whose invalidations were lost).
 */
@ApplicationScoped
public class RedisGuard {

    private static final Logger LOG = Logger.getLogger(RedisGuard.class);

    private final CacheServiceConfig config;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final AtomicReference<Instant> downSince = new AtomicReference<>();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile Instant lastFailure = Instant.EPOCH;
    private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
    private final InFlightLimit inFlight;

    public RedisGuard(CacheServiceConfig config, CacheMetrics metrics, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.inFlight = new InFlightLimit(config.redis().maxInFlight());
    }

    /** False while Redis is known down and the retry pause has not passed. */
    public boolean available() {
        return downSince.get() == null || clock.instant().isAfter(lastFailure.plus(config.redis().retryAfter()));
    }

    public boolean isDown() {
        return downSince.get() != null;
    }

    public Instant downSince() {
        return downSince.get();
    }

    /** Runs when Redis answers again after it was marked down. */
    public void onRecovery(Runnable listener) {
        recoveryListeners.add(listener);
    }

    /**
     * Runs a Redis command with the deadline (waiting for one of the {@code redis.max-in-flight} slots included); a
     * failure is passed on to the caller as {@link RedisUnavailable}.
     */
    public <T> Uni<T> call(Uni<T> command) {
        return inFlight.run(command).ifNoItem().after(config.redis().timeout()).fail()
                .onItem().invoke(this::succeeded)
                .onFailure(RedisOutage::isErrorReply).invoke(this::succeeded)
                .onFailure(RedisOutage::isOutage).invoke(this::failed)
                .onFailure(e -> RedisOutage.isOutage(e) && !(e instanceof RedisUnavailable))
                .transform(RedisUnavailable::new);
    }

    private void succeeded(Object ignored) {
        failuresInARow.set(0);
        Instant since = downSince.getAndSet(null);
        if (since != null) {
            LOG.infof("Redis is reachable again (down since %s)", since);
            recoveryListeners.forEach(Runnable::run);
        }
    }

    private void failed(Throwable e) {
        lastFailure = clock.instant();
        metrics.recordRedisFailure();
        if (failuresInARow.incrementAndGet() >= config.redis().failuresBeforeDown()
                && downSince.compareAndSet(null, lastFailure)) {
            LOG.warnf("Redis failed (%s): requests bypass the cache until it answers again", e.toString());
        }
    }
}
