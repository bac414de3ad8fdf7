package io.sluice.cacheservice.query;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.CacheStatus;
import io.sluice.cacheservice.entry.EntryReader;
import io.sluice.cacheservice.entry.EntryReader.Found;
import io.sluice.cacheservice.entry.EntryStore;
import io.sluice.cacheservice.entry.Envelope;
import io.sluice.cacheservice.lease.LeaseCoordinator;
import io.sluice.cacheservice.lease.Turn;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.metrics.CacheMetrics.Event;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.cacheservice.redis.RedisUnavailable;
import io.sluice.cacheservice.refresh.HotKeys;
import io.sluice.cacheservice.refresh.XFetch;
import io.sluice.cacheservice.stats.NamespaceStats;
import io.sluice.cacheservice.tag.Tags;
import io.sluice.common.sql.SqlTables;
import io.smallrye.mutiny.Uni;

/**
 * The query cache: a fresh entry is a HIT (and, XFetch permitting, refreshed early in the background); an expired
 * one within stale-while-revalidate is served STALE while one background load refreshes it; otherwise one request
 * across the fleet takes the lease and loads, the others wait for its value. A failed load serves the old value
 * within stale-if-error. Redis unavailable: the query runs against the database and nothing is stored (BYPASS).
 */
@ApplicationScoped
public class QueryCacheService {

    private static final Logger LOG = Logger.getLogger(QueryCacheService.class);

    private final QueryLoader loader;
    private final EntryReader reader;
    private final LeaseCoordinator leases;
    private final QueryFiller filler;
    private final RedisGuard guard;
    private final NamespaceStats stats;
    private final HotKeys hotKeys;
    private final CacheServiceConfig config;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final ConcurrentMap<String, Uni<QueryAnswer>> inFlight = new ConcurrentHashMap<>();

    public QueryCacheService(QueryLoader loader, EntryReader reader, LeaseCoordinator leases, QueryFiller filler,
            RedisGuard guard, NamespaceStats stats, HotKeys hotKeys, CacheServiceConfig config, CacheMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.loader = loader;
        this.reader = reader;
        this.leases = leases;
        this.filler = filler;
        this.guard = guard;
        this.stats = stats;
        this.hotKeys = hotKeys;
        this.config = config;
        this.clock = clock;
    }

    public static CacheKey keyOf(QuerySpec spec) {
        return new CacheKey(spec.namespace(), QueryKey.of(spec.sql(), spec.params()));
    }

    /** The implicit tags (namespace, database, each table read) and the request's own. */
    public static List<String> tagsOf(QuerySpec spec) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add(Tags.namespace(spec.namespace()));
        tags.add(Tags.DATABASE);
        SqlTables.read(spec.sql()).forEach(t -> tags.add(Tags.table(t)));
        tags.addAll(spec.tags());
        return new ArrayList<>(tags);
    }

    public Uni<QueryAnswer> query(QuerySpec spec) {
        CacheKey key = keyOf(spec);
        hotKeys.touch(key, spec);
        if (!guard.available()) {
            return bypass(spec, key);
        }
        long now = clock.millis();
        return reader.read(key, now)
                .chain(found -> answer(key, spec, found, now))
                .onFailure(RedisUnavailable.class).recoverWithUni(() -> bypass(spec, key));
    }

    /** Loads now under a lease and stores the result (warming, scheduled refresh); null when another loader holds it. */
    public Uni<QueryAnswer> refresh(QuerySpec spec) {
        CacheKey key = keyOf(spec);
        return leases.tryAcquire(key).chain(token -> token == null ? Uni.createFrom().nullItem()
                : filler.loadAndFill(key, spec, tagsOf(spec), token)
                        .map(rows -> new QueryAnswer(rows, CacheStatus.MISS, 0, key.key(), false)));
    }

    private Uni<QueryAnswer> answer(CacheKey key, QuerySpec spec, Found found, long now) {
        if (found != null && found.envelope().isFresh(now)) {
            Envelope e = found.envelope();
            stats.record(Event.HIT, spec.namespace());
            if (XFetch.refreshEarly(now, e.freshUntil(), e.loadMillis(), config.refresh().beta(),
                    1.0 - ThreadLocalRandom.current().nextDouble())) {
                refreshInBackground(key, spec, Event.EARLY_REFRESH);
            }
            return Uni.createFrom().item(hit(found, key, now));
        }
        if (found != null && found.envelope().mayServeWhileRevalidating(now)) {
            stats.record(Event.STALE, spec.namespace());
            refreshInBackground(key, spec, null);
            return Uni.createFrom().item(stale(found.envelope(), key, now));
        }
        Envelope previous = found == null ? null : found.envelope();
        return coalesced(key, spec, () -> leases.acquireAfterMiss(key).chain(turn -> {
            if (turn instanceof Turn.Lease l) {
                return loadUnderLease(key, spec, l.token(), previous);
            }
            if (turn instanceof Turn.Value v) {
                stats.record(Event.HIT, spec.namespace());
                return Uni.createFrom().item(hit(v.found(), key, clock.millis()));
            }
            return waitForLeaseholder(key, spec, previous);
        }));
    }

    /**
     * Requests on this instance for a key that is being loaded share that load instead of each asking Redis for
     * the lease: the fleet-wide lease then has one contender per instance. Followers count as lease waits and,
     * when the leader loaded and stored, as hits.
     */
    private Uni<QueryAnswer> coalesced(CacheKey key, QuerySpec spec, Supplier<Uni<QueryAnswer>> load) {
        boolean[] leader = {false};
        Uni<QueryAnswer> shared = inFlight.computeIfAbsent(key.id(), id -> {
            leader[0] = true;
            return load.get().onTermination().invoke(() -> inFlight.remove(id)).memoize().indefinitely();
        });
        if (leader[0]) {
            return shared;
        }
        stats.record(Event.LEASE_WAIT, spec.namespace());
        return shared.map(a -> {
            if (a.status() != CacheStatus.MISS) {
                return a;
            }
            stats.record(Event.HIT, spec.namespace());
            return new QueryAnswer(a.rows(), CacheStatus.HIT, 0, a.key(), false);
        });
    }

    private Uni<QueryAnswer> waitForLeaseholder(CacheKey key, QuerySpec spec, Envelope previous) {
        stats.record(Event.LEASE_WAIT, spec.namespace());
        return leases.await(key).chain(turn -> {
            if (turn instanceof Turn.Value v) {
                stats.record(Event.HIT, spec.namespace());
                return Uni.createFrom().item(hit(v.found(), key, clock.millis()));
            }
            if (turn instanceof Turn.Lease l) {
                return loadUnderLease(key, spec, l.token(), previous);
            }
            LOG.debugf("lease wait timed out for a key of namespace %s: loading without storing", spec.namespace());
            return bypass(spec, key);
        });
    }

    private Uni<QueryAnswer> loadUnderLease(CacheKey key, QuerySpec spec, String token, Envelope previous) {
        return filler.loadAndFill(key, spec, tagsOf(spec), token)
                .map(rows -> {
                    stats.record(Event.MISS, spec.namespace());
                    return new QueryAnswer(rows, CacheStatus.MISS, 0, key.key(), false);
                })
                .onFailure(LoadFailure.class).recoverWithUni(e -> {
                    long now = clock.millis();
                    if (!((LoadFailure) e).clientError() && previous != null && previous.mayServeOnError(now)) {
                        LOG.warnf("load failed (%s): serving the previous value within stale-if-error",
                                e.getMessage());
                        stats.record(Event.STALE, spec.namespace());
                        return Uni.createFrom().item(stale(previous, key, now));
                    }
                    return Uni.createFrom().failure(e);
                });
    }

    private Uni<QueryAnswer> bypass(QuerySpec spec, CacheKey key) {
        stats.record(Event.BYPASS, spec.namespace());
        return filler.loadOnly(spec).map(rows -> new QueryAnswer(rows, CacheStatus.BYPASS, 0, key.key(), false));
    }

    /** Fire-and-forget by design (the caller already has its answer); failures are logged and counted. */
    private void refreshInBackground(CacheKey key, QuerySpec spec, Event event) {
        refresh(spec).subscribe().with(
                done -> {
                    if (done != null && event != null) {
                        stats.record(event, spec.namespace());
                    }
                },
                e -> LOG.debugf("background refresh failed for namespace %s: %s", spec.namespace(), e.getMessage()));
    }

    private QueryAnswer hit(Found found, CacheKey key, long now) {
        if (found.layer() == EntryReader.Layer.NEAR) {
            metrics.recordNearHit();
        }
        return new QueryAnswer(found.envelope().value(), CacheStatus.HIT, found.envelope().ageSeconds(now),
                key.key(), found.layer() == EntryReader.Layer.NEAR);
    }

    private static QueryAnswer stale(Envelope e, CacheKey key, long now) {
        return new QueryAnswer(e.value(), CacheStatus.STALE, e.ageSeconds(now), key.key(), false);
    }
}
