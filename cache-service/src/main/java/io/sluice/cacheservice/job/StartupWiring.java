package io.sluice.cacheservice.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.cacheservice.invalidation.FailSafeInvalidation;
import io.sluice.cacheservice.invalidation.NearFanout;
import io.sluice.cacheservice.invalidation.NotifyListener;
import io.sluice.cacheservice.invalidation.WriteStreamConsumer;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.redis.RedisGuard;

/**
 * Starts the listeners and decides what a Redis reconnect means: the near cache is flushed (it may have missed
 * fan-out messages), the pub/sub subscription and the stream group are re-established, and after a real outage
 * every query result is invalidated (the router's stream entries for writes in the outage were lost).
 */
@ApplicationScoped
public class StartupWiring {

    private static final Logger LOG = Logger.getLogger(StartupWiring.class);

    void start(@Observes StartupEvent ev, RedisGuard guard, NearCache near, NearFanout fanout, NotifyListener notify,
            WriteStreamConsumer stream, FailSafeInvalidation failSafe, io.vertx.mutiny.core.Vertx vertx) {
        guard.onRecovery(() -> {
            near.clear();
            stream.redisRecovered();
            fanout.subscribe().subscribe().with(ok -> {
            }, e -> LOG.warnf("near-cache fan-out not resubscribed: %s", e.getMessage()));
            failSafe.invalidateAll("Redis was unreachable: write-stream entries may have been lost")
                    .subscribe().with(ok -> {
                    }, e -> LOG.warnf("fail-safe invalidation after the Redis outage failed: %s", e.getMessage()));
        });
        fanout.subscribe().subscribe().with(ok -> {
        }, e -> LOG.warnf("near-cache fan-out not subscribed: %s", e.getMessage()));
        stream.start(vertx);
        notify.start().subscribe().with(ok -> {
        }, e -> LOG.warnf("NOTIFY listener not started: %s", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent ev, NotifyListener notify, WriteStreamConsumer stream) {
        stream.stop();
        notify.stop().subscribe().with(ok -> {
        }, e -> {
        });
    }
}
