package io.sluice.cacheservice.entry;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.cacheservice.metrics.CacheMetrics.Event;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.stats.NamespaceStats;
import io.sluice.cacheservice.tag.TagStore;
import io.smallrye.mutiny.Uni;

/**
 * Reads an entry that is still valid: from the near cache, else from Redis with every tag version checked. An
 * entry whose tags were invalidated is gone (counted as invalidated), never served, not even as stale.
 */
@ApplicationScoped
public class EntryReader {

    /** Where a found entry came from. */
    public enum Layer {
        NEAR, REDIS
    }

    /** A valid entry and its layer. */
    public record Found(Envelope envelope, Layer layer) {
    }

    private final EntryStore store;
    private final TagStore tags;
    private final NearCache near;
    private final NamespaceStats stats;

    public EntryReader(EntryStore store, TagStore tags, NearCache near, NamespaceStats stats) {
        this.store = store;
        this.tags = tags;
        this.near = near;
        this.stats = stats;
    }

    /** The near cache's copy when it has a fresh one, else Redis's (valid, possibly stale), else null. */
    public Uni<Found> read(CacheKey key, long now) {
        Envelope local = near.get(key);
        if (local != null && local.isFresh(now)) {
            return Uni.createFrom().item(new Found(local, Layer.NEAR));
        }
        return readRedis(key);
    }

    public Uni<Found> readRedis(CacheKey key) {
        return readRedis(key, true);
    }

    /**
     * As {@link #readRedis(CacheKey)}, for a second look within one request: an invalidated entry is not counted
     * again.
     */
    public Uni<Found> reread(CacheKey key) {
        return readRedis(key, false);
    }

    private Uni<Found> readRedis(CacheKey key, boolean count) {
        return store.get(key).chain(envelope -> envelope == null ? Uni.createFrom().nullItem()
                : tags.stillValid(envelope.tags()).map(valid -> {
                    if (!valid) {
                        if (count) {
                            stats.record(Event.INVALIDATED, key.namespace());
                        }
                        near.remove(key.id());
                        return null;
                    }
                    near.put(key, envelope);
                    return new Found(envelope, Layer.REDIS);
                }));
    }
}
