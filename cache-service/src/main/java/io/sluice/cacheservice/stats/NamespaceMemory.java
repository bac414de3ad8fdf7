package io.sluice.cacheservice.stats;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.ReactiveKeyScanCursor;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Memory a namespace uses in Redis: SCAN its keys (at most {@code stats.memory-scan-limit}) and sum
 * {@code MEMORY USAGE}. When the limit stops the scan the figure is extrapolated from the mean and marked so.
 */
@ApplicationScoped
public class NamespaceMemory {

    /** Bytes, keys measured, and whether every key was measured. */
    public record Usage(long bytes, long keys, boolean complete) {
    }

    private final ReactiveRedisDataSource redis;
    private final RedisGuard guard;
    private final int limit;

    public NamespaceMemory(ReactiveRedisDataSource redis, RedisGuard guard, CacheServiceConfig config) {
        this.redis = redis;
        this.guard = guard;
        this.limit = config.stats().memoryScanLimit();
    }

    public Uni<Usage> of(String namespace) {
        ReactiveKeyScanCursor<String> cursor = redis.key().scan(new KeyScanArgs()
                .match(CacheKey.namespacePrefix(namespace) + "*").count(500));
        return scan(cursor, new Usage(0, 0, true));
    }

    private Uni<Usage> scan(ReactiveKeyScanCursor<String> cursor, Usage sofar) {
        if (!cursor.hasNext()) {
            return Uni.createFrom().item(sofar);
        }
        if (sofar.keys() >= limit) {
            return Uni.createFrom().item(new Usage(sofar.bytes(), sofar.keys(), false));
        }
        return guard.call(cursor.next()).chain(batch -> measure(List.copyOf(batch))
                .chain(bytes -> scan(cursor, new Usage(sofar.bytes() + bytes, sofar.keys() + batch.size(), true))));
    }

    private Uni<Long> measure(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        return Multi.createFrom().iterable(keys)
                .onItem().transformToUni(k -> guard.call(redis.execute("MEMORY", "USAGE", k))
                        .map(r -> r == null ? 0L : r.toLong()))
                .merge(16).collect().with(java.util.stream.Collectors.summingLong(Long::longValue));
    }
}
