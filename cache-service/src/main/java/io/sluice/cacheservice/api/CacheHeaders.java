package io.sluice.cacheservice.api;

/** Response headers of the cache API. */
public final class CacheHeaders {

    /** HIT, MISS, STALE or BYPASS. */
    public static final String X_CACHE = "X-Cache";
    /** "near" when the in-process layer answered, "redis" otherwise (hits only). */
    public static final String X_CACHE_LAYER = "X-Cache-Layer";
    /** The entry's key (query results: the derived key). */
    public static final String X_CACHE_KEY = "X-Cache-Key";
    /** The lease a GET miss hands to the app, to present on its PUT. */
    public static final String X_CACHE_LEASE = "X-Cache-Lease";
    public static final String AGE = "Age";

    private CacheHeaders() {
    }
}
