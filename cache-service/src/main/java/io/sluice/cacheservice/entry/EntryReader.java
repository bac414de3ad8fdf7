package io.sluice.cacheservice.entry;

import java.util.List;
import java.util.Map;

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
        return read(key, now, List.of());
    }

    /**
     * As {@link #read(CacheKey, long)}, for a caller that knows the tags the entry was stored with (a query's
     * implicit tags come from its text): their versions are read together with the entry, one round trip to Redis
     * for a hit instead of two. Reading them alongside rather than after is as safe: a request that starts after an
     * invalidation reads the bumped version whichever answer comes first, and any mismatch is a miss. An entry with
     * a tag outside {@code expectedTags} has it read afterwards, as without them.
     */
    public Uni<Found> read(CacheKey key, long now, List<String> expectedTags) {
        Envelope local = near.get(key);
        if (local != null && local.isFresh(now)) {
            return Uni.createFrom().item(new Found(local, Layer.NEAR));
        }
        if (expectedTags.isEmpty()) {
            return readRedis(key);
        }
        return Uni.combine().all().unis(store.get(key), tags.versions(expectedTags)).asTuple().chain(t -> {
            Envelope envelope = t.getItem1();
            if (envelope == null) {
                return Uni.createFrom().nullItem();
            }
            Map<String, String> current = t.getItem2();
            return current.keySet().containsAll(envelope.tags().keySet())
                    ? Uni.createFrom().item(checked(key, envelope, current.entrySet().containsAll(
                            envelope.tags().entrySet()), true))
                    : tags.stillValid(envelope.tags()).map(valid -> checked(key, envelope, valid, true));
        });
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
                : tags.stillValid(envelope.tags()).map(valid -> checked(key, envelope, valid, count)));
    }

    /** The entry when its tags are still current (kept in the near cache), else null (dropped from it). */
    private Found checked(CacheKey key, Envelope envelope, boolean valid, boolean count) {
        if (!valid) {
            if (count) {
                stats.record(Event.INVALIDATED, key.namespace());
            }
            near.remove(key.id());
            return null;
        }
        near.put(key, envelope);
        return new Found(envelope, Layer.REDIS);
    }
}
