package io.sluice.cacheservice.query;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.EntryStore;
import io.sluice.cacheservice.entry.Envelope;
import io.sluice.cacheservice.lease.LeaseFill;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.redis.RedisUnavailable;
import io.smallrye.mutiny.Uni;

/**
 * Runs a query and, under a lease, stores its result. The result is stored only when the lease is still valid and
 * none of the query's tags was invalidated after the lease was issued: a write that lands during the load wins.
 * Whatever happens to the fill, the loaded rows are the answer.
 */
@ApplicationScoped
public class QueryFiller {

    private static final Logger LOG = Logger.getLogger(QueryFiller.class);

    private final QueryLoader loader;
    private final EntryStore store;
    private final LeaseFill leaseFill;
    private final CacheMetrics metrics;
    private final CacheServiceConfig config;
    private final Clock clock;

    public QueryFiller(QueryLoader loader, EntryStore store, LeaseFill leaseFill, CacheMetrics metrics,
            CacheServiceConfig config, Clock clock) {
        this.loader = loader;
        this.store = store;
        this.leaseFill = leaseFill;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    public Uni<JsonNode> loadOnly(QuerySpec spec) {
        long start = System.nanoTime();
        return loader.load(spec)
                .ifNoItem().after(config.loader().timeout())
                .failWith(() -> new LoadFailure("query load timed out", false, null, null))
                .onItem().invoke(rows -> metrics.recordLoad(loader.source(), "ok", since(start)))
                .onFailure().invoke(e -> metrics.recordLoad(loader.source(), "error", since(start)))
                .map(rows -> (JsonNode) rows);
    }

    public Uni<JsonNode> loadAndFill(CacheKey key, QuerySpec spec, List<String> tags, String token) {
        long start = System.nanoTime();
        return loadOnly(spec)
                .onFailure().call(() -> store.releaseLease(key, token).onFailure().recoverWithNull())
                .call(rows -> fill(key, spec, tags, token, (ArrayNode) rows, since(start).toMillis()));
    }

    private Uni<Void> fill(CacheKey key, QuerySpec spec, List<String> tags, String token, ArrayNode rows,
            long loadMillis) {
        if (rows.size() > config.loader().maxRows()) {
            metrics.recordFill("too_large");
            return store.releaseLease(key, token).onFailure().recoverWithNull();
        }
        long now = clock.millis();
        long fresh = now + spec.ttlSeconds() * 1000;
        return leaseFill.fill(key, token, tags, versions -> new Envelope(rows, now, fresh,
                fresh + spec.staleWhileRevalidateSeconds() * 1000, fresh + spec.staleIfErrorSeconds() * 1000,
                loadMillis, versions, spec))
                .replaceWithVoid()
                .onFailure(RedisUnavailable.class).recoverWithUni(e -> {
                    LOG.debugf("fill not stored, Redis unavailable: %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
