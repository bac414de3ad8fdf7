package io.sluice.cacheservice.invalidation;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyScanCursor;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Uni;

/**
 * After a namespace flush (already effective through its tag version), removes its old keys in the background:
 * SCAN in batches, UNLINK each batch (never KEYS, never FLUSHALL). An entry written after the flush may be swept
 * too; that costs one miss, never a wrong answer.
 */
@ApplicationScoped
public class NamespaceSweeper {

    private static final Logger LOG = Logger.getLogger(NamespaceSweeper.class);
    private static final int BATCH = 500;

    private final ReactiveKeyCommands<String> keys;
    private final RedisGuard guard;

    public NamespaceSweeper(ReactiveRedisDataSource redis, RedisGuard guard) {
        this.keys = redis.key();
        this.guard = guard;
    }

    /** @return how many keys were unlinked */
    public Uni<Long> sweep(String namespace) {
        ReactiveKeyScanCursor<String> cursor = keys.scan(new KeyScanArgs()
                .match(CacheKey.namespacePrefix(namespace) + "*").count(BATCH));
        return next(cursor, 0L).invoke(n -> LOG.infof("namespace %s: %d old keys unlinked", namespace, n));
    }

    private Uni<Long> next(ReactiveKeyScanCursor<String> cursor, long removed) {
        if (!cursor.hasNext()) {
            return Uni.createFrom().item(removed);
        }
        return guard.call(cursor.next()).chain(batch -> {
            List<String> found = List.copyOf(batch);
            Uni<Integer> unlink = found.isEmpty() ? Uni.createFrom().item(0)
                    : guard.call(keys.unlink(found.toArray(String[]::new)));
            return unlink.chain(n -> next(cursor, removed + n));
        });
    }
}
