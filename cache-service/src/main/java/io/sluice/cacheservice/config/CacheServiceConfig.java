package io.sluice.cacheservice.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.constraints.Min;

import io.sluice.common.history.HistorySettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "cache-service")
public interface CacheServiceConfig {

    /** TTL of an entry stored without one. */
    @WithDefault("5m")
    Duration defaultTtl();

    /** The longest TTL a client may ask for: nothing in the cache lives unbounded. */
    @WithDefault("7d")
    Duration maxTtl();

    /** The longest stale-while-revalidate / stale-if-error window a client may ask for. */
    @WithDefault("1h")
    Duration maxStale();

    /** The largest value (serialized JSON) the cache stores; larger PUTs get a 400, larger query results are served but not stored. */
    @WithDefault("524288")
    @Min(1)
    int maxValueBytes();

    /** The old key of the admin token ({@code cache-service.admin-token}): still honoured as admin.token's fallback. */
    Optional<String> adminToken();

    /** The admin token (namespace flush, trigger install); none means they answer 403. */
    Admin admin();

    interface Admin {
        /** Read by common's {@code AdminToken} (the @AdminOnly guard); declared so the mapping knows the key. */
        Optional<String> token();
    }

    Loader loader();

    Lease lease();

    Refresh refresh();

    NearCache nearCache();

    Invalidation invalidation();

    Redis redis();

    Stats stats();

    /** The chart figures kept for GET /v1/history (cache-service.history.step, .points). */
    HistorySettings history();

    /**
     * Tag implications: invalidating a tag matching {@code tag} also invalidates the {@code implies} tags. A
     * trailing {@code *} in {@code tag} captures the rest of the tag and is substituted into the implied ones, e.g.
     * {@code tag-rules[0].tag=org:*}, {@code tag-rules[0].implies=users:org:*,billing:org:*}.
     */
    Optional<List<TagRule>> tagRules();

    interface TagRule {
        /** A literal tag, or a prefix ending in {@code *}. */
        String tag();

        /** Tags it implies; {@code *} stands for what the pattern's {@code *} matched. */
        List<String> implies();
    }

    interface Loader {
        /** replica-router's base URL; when absent, queries run on the service's own reactive PostgreSQL pool. */
        Optional<String> routerUrl();

        /** Longest a query load may take before it counts as failed. */
        @WithDefault("10s")
        Duration timeout();

        /** Largest number of result rows cached; larger results are served but not stored. */
        @WithDefault("10000")
        @Min(1)
        int maxRows();
    }

    interface Lease {
        /** A lease expires after this, so a loader that died frees the key. */
        @WithDefault("10s")
        Duration ttl();

        /** How long a request without the lease waits for the leaseholder's value. */
        @WithDefault("3s")
        Duration maxWait();

        /** Re-check period while waiting. */
        @WithDefault("20ms")
        Duration pollInterval();
    }

    interface Refresh {
        /** XFetch beta: above 1 favours earlier refreshes, 0 disables early refresh. */
        @WithDefault("1.0")
        double beta();

        /** Period of the hot-key refresh job. */
        @WithDefault("10s")
        Duration hotInterval();

        /** A query read at least this often in one period is hot, and refreshed before it expires. */
        @WithDefault("5")
        @Min(1)
        int hotMinReads();

        /** How many hot keys one instance tracks at most. */
        @WithDefault("1000")
        @Min(1)
        int hotMaxKeys();
    }

    interface NearCache {
        /** The in-process layer in front of Redis. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("10000")
        @Min(1)
        long maxEntries();

        /** The stated bound: a near-cache entry is never served longer than this after it was read from Redis. */
        @WithDefault("1s")
        Duration maxAge();
    }

    interface Invalidation {
        /** replica-router's stream of committed writes (docs/streams.md). */
        @WithDefault("sluice:replicarouter:{invalidations}")
        String stream();

        /** One consumer group for the whole fleet: each write is processed once, and replayed after downtime. */
        @WithDefault("cache-service")
        String group();

        @WithDefault("true")
        boolean streamEnabled();

        @WithDefault("100ms")
        Duration pollInterval();

        /** Pending entries of a consumer idle this long are claimed by another instance. */
        @WithDefault("30s")
        Duration claimAfter();

        /** LISTEN to the NOTIFY channel the installed triggers send to. */
        @WithDefault("true")
        boolean notifyEnabled();

        @WithDefault("sluice_cache_invalidations")
        String notifyChannel();

        /**
         * Fail-safe invalidations of every query result (a stream gap whose tables are unknown, a LISTEN reconnect,
         * Redis back after an outage) happen at most this often fleet-wide; one asked for sooner is applied when the
         * interval has passed, unless another instance's made it redundant.
         */
        @WithDefault("10s")
        Duration failSafeMinInterval();

        /** First pause before a NOTIFY invalidation that failed (Redis error) is tried again; doubles up to 5 s. */
        @WithDefault("200ms")
        Duration retryInterval();

        /** Tables whose NOTIFY invalidation waits for Redis; beyond this they become one invalidation of all. */
        @WithDefault("1000")
        @Min(1)
        int maxPending();
    }

    interface Redis {
        /** A Redis command slower than this counts as failed, and the request bypasses the cache. */
        @WithDefault("500ms")
        Duration timeout();

        /** Failed commands in a row that mark Redis down (one slow answer under load does not). */
        @WithDefault("3")
        @Min(1)
        int failuresBeforeDown();

        /** While marked down, Redis is skipped for this long before it is tried again. */
        @WithDefault("1s")
        Duration retryAfter();

        /**
         * Redis commands in flight at most; the others wait their turn. Keep it below {@code quarkus.redis.max-pool-size}:
         * the Redis Cluster client needs a free pooled connection to refresh its slot map, or every command hangs.
         */
        @WithDefault("31")
        @Min(1)
        int maxInFlight();
    }

    interface Stats {
        /** Namespaces that get their own metric tag; all others are tagged "other" (bounded cardinality). */
        Optional<Set<String>> metricNamespaces();

        /** Period at which per-namespace counters are added to the fleet-wide totals in Redis. */
        @WithDefault("1s")
        Duration flushInterval();

        /** Keys scanned at most when the stats endpoint measures a namespace's memory. */
        @WithDefault("10000")
        @Min(1)
        int memoryScanLimit();
    }
}
