package io.sluice.cacheservice.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sluice.cacheservice.config.CacheServiceConfig;

/**
 * Every cache-service meter. Tags come from closed sets; the namespace tag only names namespaces listed in
 * {@code stats.metric-namespaces}, all others are "other", so client-chosen names never become series.
 */
@Startup
@ApplicationScoped
public class CacheMetrics {

    /** What a lookup or event was, per namespace (the figures of GET /v1/cache/stats). */
    public enum Event {
        HIT("hit"), MISS("miss"), STALE("stale"), BYPASS("bypass"), LEASE_WAIT("lease_wait"),
        EARLY_REFRESH("early_refresh"), INVALIDATED("invalidated");

        public final String field;

        Event(String field) {
            this.field = field;
        }
    }

    private final MeterRegistry registry;
    private final Set<String> namedNamespaces;
    private final ConcurrentMap<String, Counter> events = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> loads = new ConcurrentHashMap<>();
    private final Counter nearHits;
    private final Counter redisFailures;
    private final Counter writes;
    private final Timer invalidationLag;

    public CacheMetrics(MeterRegistry registry, CacheServiceConfig config) {
        this.registry = registry;
        this.namedNamespaces = config.stats().metricNamespaces().orElse(Set.of());
        this.nearHits = Counter.builder("sluice.cacheservice.near.hits")
                .description("Hits answered by the in-process near cache").register(registry);
        this.redisFailures = Counter.builder("sluice.cacheservice.redis.failures")
                .description("Redis commands that failed or timed out (the request bypassed the cache)")
                .register(registry);
        this.writes = Counter.builder("sluice.cacheservice.writes").description("Values stored through PUT")
                .register(registry);
        this.invalidationLag = Timer.builder("sluice.cacheservice.invalidation.lag")
                .description("From a write's commit (as its producer stamped it) to the cache having invalidated it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        for (Event e : Event.values()) {
            event(e, "other");
        }
    }

    public void record(Event event, String namespace) {
        event(event, namespace).increment();
    }

    public void recordNearHit() {
        nearHits.increment();
    }

    public void recordRedisFailure() {
        redisFailures.increment();
    }

    public void recordWrite() {
        writes.increment();
    }

    /** A fill: stored, rejected (its lease was revoked: an invalidation won) or too large to store. */
    public void recordFill(String outcome) {
        outcome("sluice.cacheservice.fills", "Query and leased value fills by outcome", outcome).increment();
    }

    /**
     * An invalidation applied, by source: api, stream, notify, gap (lost stream entries whose tables were known, or a
     * fail-safe invalidation of every query result).
     */
    public void recordInvalidation(String source) {
        tagged("sluice.cacheservice.invalidations", "Invalidation requests applied, by source", "source", source)
                .increment();
    }

    /** A fail-safe invalidation of every query result: applied, deferred (rate limit) or covered by a newer one. */
    public void recordFailSafe(String outcome) {
        outcome("sluice.cacheservice.failsafe.invalidations",
                "Invalidations of every query result (unknown writes): applied, deferred by the rate limit, or covered "
                        + "by another instance's", outcome).increment();
    }

    /** Write-stream entries lost before they were read: scope=tables (their tables were known) or database. */
    public void recordStreamGap(String scope) {
        tagged("sluice.cacheservice.stream.gaps", "Write-stream gaps (entries removed before the group read them)",
                "scope", scope).increment();
    }

    /** A NOTIFY invalidation that failed and waits to be retried, or was broadened to every query result. */
    public void recordNotifyRetry(String outcome) {
        outcome("sluice.cacheservice.notify.retries", "NOTIFY invalidations that failed on Redis: retried, or "
                + "broadened to every query result when too many were waiting", outcome).increment();
    }

    /** Tables whose NOTIFY invalidation waits for Redis (this instance). */
    public <T> void watchPendingInvalidations(T source, java.util.function.ToDoubleFunction<T> pending) {
        io.micrometer.core.instrument.Gauge.builder("sluice.cacheservice.invalidations.pending", source, pending)
                .description("Tables whose NOTIFY invalidation waits for Redis to answer").register(registry);
    }

    public void recordWarmItem(String outcome) {
        outcome("sluice.cacheservice.warm.items", "Warming items by outcome", outcome).increment();
    }

    public void recordInvalidationLag(Duration lag) {
        invalidationLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** Lookups counted since start, of one namespace tag: hits (hit or stale served) of all lookups. */
    public record LookupTotals(double hits, double lookups) {
    }

    /**
     * Lookups counted since start by namespace tag (a named namespace or "other"), with the hit rate's terms of
     * GET /v1/cache/stats: (hit + stale) / (hit + stale + miss + bypass).
     */
    public Map<String, LookupTotals> lookupTotals() {
        Map<String, LookupTotals> totals = new TreeMap<>();
        events.forEach((key, counter) -> {
            String field = key.substring(0, key.indexOf('/'));
            String ns = key.substring(key.indexOf('/') + 1);
            boolean hit = field.equals(Event.HIT.field) || field.equals(Event.STALE.field);
            boolean lookup = hit || field.equals(Event.MISS.field) || field.equals(Event.BYPASS.field);
            if (lookup) {
                totals.merge(ns, new LookupTotals(hit ? counter.count() : 0, counter.count()),
                        (a, b) -> new LookupTotals(a.hits() + b.hits(), a.lookups() + b.lookups()));
            }
        });
        return totals;
    }

    /** Invalidations whose lag was measured since start, and the sum of their lags in seconds. */
    public record LagTotals(double count, double seconds) {
    }

    public LagTotals invalidationLagTotals() {
        return new LagTotals(invalidationLag.count(), invalidationLag.totalTime(TimeUnit.SECONDS));
    }

    /** A query load, by source (router or pool) and outcome (ok or error). */
    public void recordLoad(String source, String outcome, Duration took) {
        loads.computeIfAbsent(source + "/" + outcome, k -> Timer.builder("sluice.cacheservice.load.duration")
                .description("Query loads behind misses and refreshes").tag("source", source)
                .tag("outcome", outcome).publishPercentileHistogram().register(registry)).record(took);
    }

    private Counter event(Event event, String namespace) {
        String ns = namedNamespaces.contains(namespace) ? namespace : "other";
        return events.computeIfAbsent(event.field + "/" + ns, k -> Counter.builder("sluice.cacheservice.lookups")
                .description("Lookups and cache events per namespace: hit, miss, stale, bypass, lease_wait, "
                        + "early_refresh, invalidated")
                .tag("outcome", event.field).tag("namespace", ns).register(registry));
    }

    private Counter outcome(String name, String description, String outcome) {
        return tagged(name, description, "outcome", outcome);
    }

    private Counter tagged(String name, String description, String tag, String value) {
        return outcomes.computeIfAbsent(name + "/" + value, k -> Counter.builder(name).description(description)
                .tag(tag, value).register(registry));
    }
}
