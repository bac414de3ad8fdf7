package io.sluice.cacheservice.invalidation;

import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Uni;

/**
 * Carries invalidations to every instance's near cache through Redis pub/sub ({@code k <ns/key>},
 * {@code t <tag,tag>} or {@code all}). Best effort by design: a lost message costs at most the near cache's
 * {@code max-age}, which is the stated bound; the durable path is Redis (tag versions), which every instance
 * checks once its near copy is gone.
 */
@ApplicationScoped
public class NearFanout {

    static final String CHANNEL = "sluice:cacheservice:near-invalidations";
    private static final Logger LOG = Logger.getLogger(NearFanout.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final NearCache near;
    private final RedisGuard guard;
    private volatile ReactiveRedisSubscriber subscriber;

    public NearFanout(ReactiveRedisDataSource redis, NearCache near, RedisGuard guard) {
        this.pubsub = redis.pubsub(String.class);
        this.near = near;
        this.guard = guard;
    }

    /** (Re)subscribes; called at start-up and whenever Redis comes back. */
    public Uni<Void> subscribe() {
        if (!near.enabled()) {
            return Uni.createFrom().voidItem();
        }
        ReactiveRedisSubscriber old = subscriber;
        Uni<Void> unsubscribe = old == null ? Uni.createFrom().voidItem()
                : old.unsubscribe().onFailure().recoverWithNull().replaceWithVoid();
        return unsubscribe.chain(() -> pubsub.subscribe(CHANNEL, this::apply))
                .invoke(s -> subscriber = s)
                .replaceWithVoid();
    }

    public void apply(String message) {
        if (message.equals("all")) {
            near.clear();
        } else if (message.startsWith("k ")) {
            near.remove(message.substring(2));
        } else if (message.startsWith("t ")) {
            near.removeTagged(Arrays.asList(message.substring(2).split(",")));
        }
    }

    public Uni<Void> publishKeys(List<String> ids) {
        return publish(ids.stream().map(id -> "k " + id).toList());
    }

    public Uni<Void> publishTags(List<String> tags) {
        return tags.isEmpty() ? Uni.createFrom().voidItem() : publish(List.of("t " + String.join(",", tags)));
    }

    private Uni<Void> publish(List<String> messages) {
        if (!near.enabled() || messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String m : messages) {
            chain = chain.call(() -> guard.call(pubsub.publish(CHANNEL, m)));
        }
        return chain.onFailure().invoke(e -> LOG.debugf("near-cache fan-out not sent: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
