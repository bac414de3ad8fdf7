package io.sluice.cacheservice.nearcache;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.Envelope;

/**
 * The optional in-process layer in front of Redis, bounded in size. Its bound on staleness is
 * {@code near-cache.max-age}: an entry is dropped that long after it was read from Redis, whatever happens.
 * Invalidations usually arrive much sooner (the instance that invalidates clears its own layer at once and
 * broadcasts to the others), and the whole layer is flushed whenever Redis reconnects. A tag → entries index
 * (kept in step by the removal listener, so bounded by the cache) makes a tag invalidation cost its entries only.
 */
@ApplicationScoped
public class NearCache {

    private final boolean enabled;
    private final Cache<String, Envelope> cache;
    private final ConcurrentMap<String, Set<String>> byTag = new ConcurrentHashMap<>();

    public NearCache(CacheServiceConfig config) {
        this.enabled = config.nearCache().enabled();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.nearCache().maxEntries())
                .expireAfterWrite(config.nearCache().maxAge().toNanos(), TimeUnit.NANOSECONDS)
                .executor(Runnable::run)
                .<String, Envelope>removalListener((id, envelope, cause) -> {
                    // A replaced entry's id stays indexed: the new envelope was indexed under its own tags.
                    if (cause != RemovalCause.REPLACED) {
                        unindex(id, envelope);
                    }
                })
                .build();
    }

    public boolean enabled() {
        return enabled;
    }

    public Envelope get(CacheKey key) {
        return enabled ? cache.getIfPresent(key.id()) : null;
    }

    public void put(CacheKey key, Envelope envelope) {
        if (enabled) {
            envelope.tags().keySet().forEach(t -> byTag.computeIfAbsent(t, x -> ConcurrentHashMap.newKeySet())
                    .add(key.id()));
            cache.put(key.id(), envelope);
        }
    }

    public void remove(String id) {
        cache.invalidate(id);
    }

    /** Drops every entry that carries one of these tags. */
    public void removeTagged(Collection<String> tags) {
        for (String tag : tags) {
            Set<String> ids = byTag.remove(tag);
            if (ids != null) {
                cache.invalidateAll(ids);
            }
        }
    }

    public void clear() {
        cache.invalidateAll();
        byTag.clear();
    }

    public long size() {
        return cache.estimatedSize();
    }

    private void unindex(String id, Envelope envelope) {
        if (id == null || envelope == null || cache.getIfPresent(id) != null) {
            return;
        }
        for (String tag : envelope.tags().keySet()) {
            byTag.computeIfPresent(tag, (t, ids) -> {
                ids.remove(id);
                return ids.isEmpty() ? null : ids;
            });
        }
    }
}
