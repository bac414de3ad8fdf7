package io.sluice.cacheservice.invalidation;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.redis.KeyScan;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * After a namespace flush (already effective through its tag version), removes its old keys in the background:
 * SCAN of every master in batches, one UNLINK per key (never KEYS, never FLUSHALL, and no command spanning slots
 * on a cluster). An entry written after the flush may be swept too; that costs one miss, never a wrong answer.
 */
@ApplicationScoped
public class NamespaceSweeper {

    private static final Logger LOG = Logger.getLogger(NamespaceSweeper.class);
    private static final int BATCH = 500;

    private final ReactiveKeyCommands<String> keys;
    private final KeyScan scan;
    private final RedisGuard guard;

    public NamespaceSweeper(ReactiveRedisDataSource redis, KeyScan scan, RedisGuard guard) {
        this.keys = redis.key();
        this.scan = scan;
        this.guard = guard;
    }

    /** @return how many keys were unlinked */
    public Uni<Long> sweep(String namespace) {
        AtomicLong removed = new AtomicLong();
        return scan.forEachBatch(CacheKey.namespacePrefix(namespace) + "*", BATCH, batch -> unlink(batch)
                .invoke(removed::addAndGet).replaceWith(true))
                .map(done -> removed.get())
                .invoke(n -> LOG.infof("namespace %s: %d old keys unlinked", namespace, n));
    }

    private Uni<Long> unlink(List<String> found) {
        return Multi.createFrom().iterable(found)
                .onItem().transformToUni(k -> guard.call(keys.unlink(k))).merge(16)
                .collect().with(java.util.stream.Collectors.summingLong(Integer::longValue));
    }
}
