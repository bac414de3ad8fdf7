package io.sluice.cacheservice.stats;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.metrics.CacheMetrics.Event;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Per-namespace figures for the whole fleet: each instance counts locally (and in Micrometer at once) and adds
 * its counts to a Redis hash per namespace every {@code stats.flush-interval}. Namespaces are remembered in a
 * sorted set by last use, trimmed to {@link #MAX_NAMESPACES}; every key has a TTL.
 */
@ApplicationScoped
public class NamespaceStats {

    static final int MAX_NAMESPACES = 10_000;
    private static final Logger LOG = Logger.getLogger(NamespaceStats.class);
    private static final String NAMESPACES = "sluice:cacheservice:s:{namespaces}";
    private static final long KEEP_SECONDS = 30L * 24 * 3600;

    private final CacheMetrics metrics;
    private final RedisGuard guard;
    private final Clock clock;
    private final ReactiveHashCommands<String, String, Long> hashes;
    private final ReactiveSortedSetCommands<String, String> sorted;
    private final ReactiveKeyCommands<String> keys;
    private final ConcurrentMap<String, Map<Event, LongAdder>> pending = new ConcurrentHashMap<>();
    private final HitRateWindow window;

    public NamespaceStats(CacheMetrics metrics, RedisGuard guard, Clock clock, ReactiveRedisDataSource redis) {
        this.metrics = metrics;
        this.guard = guard;
        this.clock = clock;
        this.hashes = redis.hash(Long.class);
        this.sorted = redis.sortedSet(String.class);
        this.keys = redis.key();
        this.window = new HitRateWindow(clock);
    }

    public static String key(String namespace) {
        return "sluice:cacheservice:s:{" + namespace + "}";
    }

    public void record(Event event, String namespace) {
        metrics.record(event, namespace);
        if (event == Event.HIT || event == Event.STALE || event == Event.MISS || event == Event.BYPASS) {
            window.record(event == Event.HIT || event == Event.STALE);
        }
        if (pending.size() < MAX_NAMESPACES || pending.containsKey(namespace)) {
            pending.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>())
                    .computeIfAbsent(event, e -> new LongAdder()).increment();
        }
    }

    public HitRateWindow window() {
        return window;
    }

    /** Adds the counts since the last flush to Redis; counts that cannot be written are kept for the next try. */
    public Uni<Void> flush() {
        if (pending.isEmpty() || !guard.available()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> writes = new ArrayList<>();
        for (String namespace : List.copyOf(pending.keySet())) {
            Map<Event, LongAdder> counts = pending.remove(namespace);
            if (counts == null) {
                continue;
            }
            writes.add(flush(namespace, counts).onFailure().invoke(e -> restore(namespace, counts))
                    .onFailure().recoverWithNull());
        }
        return Multi.createFrom().iterable(writes).onItem().transformToUniAndMerge(u -> u).collect().last()
                .onItem().invoke(ignored -> LOG.tracef("stats flushed for %d namespaces", writes.size()))
                .call(ignored -> guard.call(sorted.zremrangebyrank(NAMESPACES, 0, -MAX_NAMESPACES - 1))
                        .onFailure().recoverWithNull())
                .replaceWithVoid();
    }

    private Uni<Void> flush(String namespace, Map<Event, LongAdder> counts) {
        String key = key(namespace);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var e : counts.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                chain = chain.call(() -> guard.call(hashes.hincrby(key, e.getKey().field, n)));
            }
        }
        return chain.call(() -> guard.call(keys.expire(key, KEEP_SECONDS)))
                .call(() -> guard.call(sorted.zadd(NAMESPACES, clock.millis(), namespace)))
                .replaceWithVoid();
    }

    private void restore(String namespace, Map<Event, LongAdder> counts) {
        var into = pending.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
        counts.forEach((e, n) -> into.computeIfAbsent(e, x -> new LongAdder()).add(n.sum()));
    }

    /** Namespaces with figures, most recently used first. */
    public Uni<List<String>> namespaces() {
        return guard.call(sorted.zrange(NAMESPACES, 0, MAX_NAMESPACES - 1, new ZRangeArgs().rev()));
    }

    public Uni<Map<String, Long>> totals(String namespace) {
        return guard.call(hashes.hgetall(key(namespace)));
    }
}
