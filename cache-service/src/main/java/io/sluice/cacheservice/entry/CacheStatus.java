package io.sluice.cacheservice.entry;

/** The X-Cache header: where an answer came from. */
public enum CacheStatus {
    /** A fresh cached value (or one another loader just stored). */
    HIT,
    /** Loaded now and stored. */
    MISS,
    /** An expired value served within stale-while-revalidate or stale-if-error. */
    STALE,
    /** The cache was skipped (Redis unavailable, or a lease wait timed out): loaded and not stored. */
    BYPASS
}
