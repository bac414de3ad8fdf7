package io.sluice.ratelimiter.gcra;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.ratelimiter.metrics.RateLimiterMetrics;
import io.smallrye.mutiny.Uni;

/**
 * The fleet's feed of key changes: a settings save or counter reset made through any instance is announced on a
 * pub/sub channel as {@code <key hash> <change time>}, and every instance drops the refusals it cached for that key
 * ({@link HotKeys}). Pub/sub is lost while a subscription is down, so the hot cache is used only while this feed is
 * connected, and only for refusals decided since it last connected. Resubscribes every second until it is back.
 */
@ApplicationScoped
public class KeyChanges {

    private static final Logger LOG = Logger.getLogger(KeyChanges.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ReactivePubSubCommands<String> pubsub;
    private final HotKeys hotKeys;
    private final RateLimiterMetrics metrics;
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean running;
    private final AtomicBoolean connecting = new AtomicBoolean();

    public KeyChanges(ReactiveRedisDataSource redis, HotKeys hotKeys, RateLimiterMetrics metrics) {
        this.pubsub = redis.pubsub(String.class);
        this.hotKeys = hotKeys;
        this.metrics = metrics;
    }

    /** Tells every instance (this one included) that the key changed; a failure is counted, never thrown. */
    public Uni<Void> announce(String keyHash, long change) {
        return pubsub.publish(RedisKeys.keyChangesChannel(), keyHash + " " + change)
                .invoke(() -> metrics.recordAnnouncement(true))
                .onFailure().invoke(e -> {
                    metrics.recordAnnouncement(false);
                    LOG.warnf("change of key %s not announced (%s): other instances may answer a refusal they "
                            + "cached before it until its retry time", keyHash, e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    void start(@Observes StartupEvent start) {
        running = true;
        subscribe();
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        ReactiveRedisSubscriber s = subscriber;
        if (s != null) {
            s.unsubscribe().subscribe().with(v -> { }, e -> { });
        }
    }

    /** One subscription at a time: a lost one may report its end twice (end and exception). */
    private void subscribe() {
        if (!running || subscriber != null || !connecting.compareAndSet(false, true)) {
            return;
        }
        pubsub.subscribe(RedisKeys.keyChangesChannel(), this::apply, this::lost, e -> lost())
                .subscribe().with(s -> {
                    subscriber = s;
                    connecting.set(false);
                    hotKeys.feedConnected();
                    LOG.debug("key-change feed connected");
                }, e -> {
                    connecting.set(false);
                    retry();
                });
    }

    private void lost() {
        subscriber = null;
        hotKeys.feedLost();
        LOG.debug("key-change feed lost; the hot cache is off until it is back");
        retry();
    }

    private void retry() {
        Uni.createFrom().voidItem().onItem().delayIt().by(RETRY).subscribe().with(v -> subscribe());
    }

    void apply(String message) {
        int space = message.indexOf(' ');
        try {
            hotKeys.changed(message.substring(0, space), Long.parseLong(message.substring(space + 1)));
        } catch (RuntimeException malformed) {
            LOG.debugf("ignored a malformed key-change message");
        }
    }
}
