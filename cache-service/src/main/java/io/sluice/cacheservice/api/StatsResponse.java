package io.sluice.cacheservice.api;

import java.util.List;

/** GET /v1/cache/stats: fleet-wide figures per namespace, and this instance's recent hit rate. */
public record StatsResponse(List<NamespaceFigures> namespaces, Double instanceHitRate5m, long nearCacheEntries,
        String redis) {

    /** hitRate = (hits + stale) / (hits + stale + misses + bypass); null before any lookup. */
    public record NamespaceFigures(String namespace, long hits, long misses, Double hitRate, long staleServed,
            long bypassed, long leaseWaits, long earlyRefreshes, long invalidations, long memoryBytes,
            long memoryKeys, boolean memoryComplete) {
    }
}
