package io.sluice.cacheservice.stats;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.redis.KeyScan;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Memory a namespace uses in Redis: SCAN its keys on every master (at most {@code stats.memory-scan-limit}) and sum
 * {@code MEMORY USAGE}. When the limit stops the scan the figure is marked incomplete.
 */
@ApplicationScoped
public class NamespaceMemory {

    /** Bytes, keys measured, and whether every key was measured. */
    public record Usage(long bytes, long keys, boolean complete) {
    }

    private final ReactiveRedisDataSource redis;
    private final KeyScan scan;
    private final RedisGuard guard;
    private final int limit;

    public NamespaceMemory(ReactiveRedisDataSource redis, KeyScan scan, RedisGuard guard, CacheServiceConfig config) {
        this.redis = redis;
        this.scan = scan;
        this.guard = guard;
        this.limit = config.stats().memoryScanLimit();
    }

    public Uni<Usage> of(String namespace) {
        AtomicReference<Usage> sofar = new AtomicReference<>(new Usage(0, 0, true));
        return scan.forEachBatch(CacheKey.namespacePrefix(namespace) + "*", 500, batch -> {
            if (sofar.get().keys() >= limit) {
                sofar.set(new Usage(sofar.get().bytes(), sofar.get().keys(), false));
                return Uni.createFrom().item(false);
            }
            return measure(batch).map(bytes -> {
                Usage u = sofar.get();
                sofar.set(new Usage(u.bytes() + bytes, u.keys() + batch.size(), true));
                return true;
            });
        }).map(done -> sofar.get());
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
