package io.sluice.cacheservice.tag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.cacheservice.redis.RedisSlots;
import io.sluice.cacheservice.redis.RedisTopology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Versioned tags: one small key per tag holding the Redis-clock time (µs) of its last invalidation. An entry
 * stores the versions of its tags; a read that finds any of them changed treats the entry as gone. Invalidating a
 * tag is one SET, whatever number of entries carry it, and no per-tag set of keys grows. A tag key expires after
 * the longest an entry can live plus an hour: by then no entry stored under its old version can exist, and an
 * entry that saw the newer version reads the missing key as a change (a miss, never a stale hit).
 */
@ApplicationScoped
public class TagStore {

    public static final String NEVER = "0";
    private static final String PREFIX = "sluice:cacheservice:t:";

    /** version = max(now µs, previous + 1): unique per bump and comparable with a lease's issue time. */
    private static final String BUMP = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local old = tonumber(redis.call('GET', KEYS[1]) or '0')
            if now <= old then now = old + 1 end
            local v = string.format('%.0f', now)
            redis.call('SET', KEYS[1], v, 'PX', ARGV[1])
            return v
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final RedisGuard guard;
    private final RedisTopology topology;
    private final long tagLifetimeMillis;

    public TagStore(ReactiveRedisDataSource redis, RedisGuard guard, RedisTopology topology,
            CacheServiceConfig config) {
        this.redis = redis;
        this.topology = topology;
        this.values = redis.value(String.class);
        this.guard = guard;
        this.tagLifetimeMillis = config.maxTtl().plus(config.maxStale()).plusHours(1).toMillis();
    }

    public static String key(String tag) {
        return PREFIX + "{" + tag + "}";
    }

    /**
     * Current version of each tag ("0" for a tag never invalidated), in the given order. One MGET on a standalone
     * Redis; on a cluster one MGET per slot (each tag has its own hash tag), sent together: never a cross-slot read.
     */
    public Uni<Map<String, String>> versions(List<String> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> keys = tags.stream().map(TagStore::key).toList();
        List<Uni<Map<String, String>>> reads = RedisSlots.groups(keys, topology.clustered()).stream()
                .map(group -> guard.call(values.mget(group.toArray(String[]::new)))).toList();
        return Uni.join().all(reads).andFailFast().map(parts -> {
            Map<String, String> found = new HashMap<>();
            parts.forEach(found::putAll);
            Map<String, String> versions = new LinkedHashMap<>();
            for (String tag : tags) {
                String v = found.get(key(tag));
                versions.put(tag, v == null ? NEVER : v);
            }
            return versions;
        });
    }

    /** Whether every stored version is still current. */
    public Uni<Boolean> stillValid(Map<String, String> stored) {
        return versions(new ArrayList<>(stored.keySet())).map(current -> current.equals(stored));
    }

    /** Invalidates one tag; returns its new version. */
    public Uni<Long> bump(String tag) {
        return guard.call(redis.execute("EVAL", BUMP, "1", key(tag), Long.toString(tagLifetimeMillis)))
                .map(Response::toLong);
    }
}
