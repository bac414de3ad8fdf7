package io.sluice.cacheservice.entry;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cacheservice.query.QuerySpec;

/**
 * What one cache entry holds in Redis: the value, when it was stored, until when it is fresh, how long it may be
 * served stale (while revalidating, or when loading fails), how long the load took (XFetch's delta), the version
 * of every tag it depends on when it was stored, and for query results the query itself (for refresh and warming).
 * Times are epoch milliseconds.
 */
public record Envelope(JsonNode value, long storedAt, long freshUntil, long staleWhileRevalidateUntil,
        long staleIfErrorUntil, long loadMillis, Map<String, String> tags, QuerySpec query) {

    public boolean isFresh(long now) {
        return now < freshUntil;
    }

    public boolean mayServeWhileRevalidating(long now) {
        return now < staleWhileRevalidateUntil;
    }

    public boolean mayServeOnError(long now) {
        return now < staleIfErrorUntil;
    }

    /** Seconds since the value was stored (the Age header). */
    public long ageSeconds(long now) {
        return Math.max(0, (now - storedAt) / 1000);
    }

    public long ttlSeconds(long now) {
        return Math.max(0, (freshUntil - now + 999) / 1000);
    }

    /** Redis keeps the entry until its last stale window ends. */
    public long redisExpiry() {
        return Math.max(freshUntil, Math.max(staleWhileRevalidateUntil, staleIfErrorUntil));
    }
}
