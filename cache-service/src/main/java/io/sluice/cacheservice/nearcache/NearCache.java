package io.sluice.cacheservice.nearcache;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.Envelope;

/**
 * The optional in-process layer in front of Redis, bounded in size. Its bound on staleness is
 * {@code near-cache.max-age}: an entry is dropped that long after it was read from Redis, whatever happens.
 * Invalidations usually arrive much sooner (the instance that invalidates clears its own layer at once and
 * broadcasts to the others), and the whole layer is flushed whenever Redis reconnects.
 */
@ApplicationScoped
public class NearCache {

    private final boolean enabled;
    private final Cache<String, Envelope> cache;

    public NearCache(CacheServiceConfig config) {
        this.enabled = config.nearCache().enabled();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.nearCache().maxEntries())
                .expireAfterWrite(config.nearCache().maxAge().toNanos(), TimeUnit.NANOSECONDS)
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
            cache.put(key.id(), envelope);
        }
    }

    public void remove(String id) {
        cache.invalidate(id);
    }

    /** Drops every entry that carries one of these tags. */
    public void removeTagged(java.util.Collection<String> tags) {
        cache.asMap().entrySet().removeIf(e -> tags.stream().anyMatch(e.getValue().tags()::containsKey));
    }

    public void clear() {
        cache.invalidateAll();
    }

    public long size() {
        return cache.estimatedSize();
    }
}
