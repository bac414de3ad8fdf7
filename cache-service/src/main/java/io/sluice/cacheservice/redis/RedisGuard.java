package io.sluice.cacheservice.redis;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.smallrye.mutiny.Uni;

/**
 * Whether Redis is usable, decided by the commands themselves: a command that fails or is slower than
 * {@code redis.timeout} marks Redis down, and for {@code redis.retry-after} requests skip it (bypass) instead of
 * each waiting for a timeout. The first command after that is a probe; when it succeeds, the recovery listeners run
 * (flush the near cache, fail safe on writes whose invalidations were lost).
 */
@ApplicationScoped
public class RedisGuard {

    private static final Logger LOG = Logger.getLogger(RedisGuard.class);

    private final CacheServiceConfig config;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final AtomicReference<Instant> downSince = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger failuresInOutage = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Instant lastFailure = Instant.EPOCH;
    private final List<java.util.function.Consumer<Boolean>> recoveryListeners = new CopyOnWriteArrayList<>();

    public RedisGuard(CacheServiceConfig config, CacheMetrics metrics, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
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

    /**
     * @param listener runs when Redis answers again; its argument tells whether it was a real outage (two or more
     *        failures in a row, i.e. the retry after the pause failed too) rather than one slow command
     */
    public void onRecovery(java.util.function.Consumer<Boolean> listener) {
        recoveryListeners.add(listener);
    }

    /** Runs a Redis command with the deadline; failures mark Redis down and are passed on to the caller. */
    public <T> Uni<T> call(Uni<T> command) {
        return command.ifNoItem().after(config.redis().timeout()).fail()
                .onItem().invoke(this::succeeded)
                .onFailure().invoke(this::failed)
                .onFailure().transform(e -> e instanceof RedisUnavailable ? e : new RedisUnavailable(e));
    }

    private void succeeded(Object ignored) {
        Instant since = downSince.getAndSet(null);
        if (since != null) {
            boolean outage = failuresInOutage.getAndSet(0) >= 2;
            LOG.infof("Redis is reachable again (down since %s)", since);
            recoveryListeners.forEach(l -> l.accept(outage));
        }
    }

    private void failed(Throwable e) {
        lastFailure = clock.instant();
        metrics.recordRedisFailure();
        failuresInOutage.incrementAndGet();
        if (downSince.compareAndSet(null, lastFailure)) {
            LOG.warnf("Redis failed (%s): requests bypass the cache until it answers again", e.toString());
        }
    }
}
