package io.sluice.replicarouter.node;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.smallrye.mutiny.Uni;

/**
 * Node verdicts shared by every router instance: one Redis hash, a field per node, holding the last up/down
 * change and when it happened. Each instance adopts a change newer than its own, so all agree within a probe
 * interval or two even when only some of them saw a node fail.
 */
@ApplicationScoped
public class NodeStateStore {

    static final String KEY = "sluice:replicarouter:{nodes}:verdicts";
    private static final Duration TTL = Duration.ofHours(1);

    private final ReactiveHashCommands<String, String, String> hash;
    private final ReactiveKeyCommands<String> keys;

    public NodeStateStore(ReactiveRedisDataSource redis) {
        this.hash = redis.hash(String.class);
        this.keys = redis.key();
    }

    /** A node verdict: up or down since a moment. */
    public record Verdict(boolean up, Instant since) {

        String encode() {
            return (up ? "up" : "down") + "|" + since.toEpochMilli();
        }

        static Verdict decode(String text) {
            String[] parts = text.split("\\|");
            return new Verdict("up".equals(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])));
        }
    }

    public Uni<Void> publish(String node, Verdict verdict) {
        return hash.hset(KEY, node, verdict.encode()).chain(() -> keys.expire(KEY, TTL)).replaceWithVoid();
    }

    public Uni<Map<String, Verdict>> all() {
        return hash.hgetall(KEY).map(raw -> {
            Map<String, Verdict> out = new HashMap<>();
            raw.forEach((node, text) -> {
                try {
                    out.put(node, Verdict.decode(text));
                } catch (RuntimeException malformed) {
                    // a foreign or old value: ignore it, the next publish overwrites it
                }
            });
            return out;
        });
    }
}
