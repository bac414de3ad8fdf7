package io.sluice.cacheservice.entry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cacheservice.CacheServiceProblem;
import io.sluice.cacheservice.invalidation.InvalidationService;
import io.sluice.cacheservice.invalidation.NearFanout;
import io.sluice.cacheservice.lease.LeaseCoordinator;
import io.sluice.cacheservice.lease.LeaseFill;
import io.sluice.cacheservice.lease.Turn;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.metrics.CacheMetrics.Event;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.cacheservice.redis.RedisUnavailable;
import io.sluice.cacheservice.stats.NamespaceStats;
import io.sluice.cacheservice.tag.TagStore;
import io.sluice.cacheservice.tag.Tags;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * App-computed values with leases that travel to the app: a GET miss hands out a lease token (X-Cache-Lease) to
 * exactly one caller; others wait a bounded time for its value. A PUT presenting the token is stored only while
 * the lease is valid, so a DELETE or tag invalidation during the app's computation wins. A PUT without a token
 * is an unconditional newer write (and revokes any lease).
 */
@ApplicationScoped
public class ValueService {

    private final EntryReader reader;
    private final EntryStore store;
    private final TagStore tagStore;
    private final LeaseCoordinator leases;
    private final LeaseFill leaseFill;
    private final InvalidationService invalidation;
    private final NearCache near;
    private final NearFanout fanout;
    private final RedisGuard guard;
    private final NamespaceStats stats;
    private final CacheMetrics metrics;
    private final Clock clock;

    public ValueService(EntryReader reader, EntryStore store, TagStore tagStore, LeaseCoordinator leases,
            LeaseFill leaseFill, InvalidationService invalidation, NearCache near, NearFanout fanout,
            RedisGuard guard, NamespaceStats stats, CacheMetrics metrics, Clock clock) {
        this.reader = reader;
        this.store = store;
        this.tagStore = tagStore;
        this.leases = leases;
        this.leaseFill = leaseFill;
        this.invalidation = invalidation;
        this.near = near;
        this.fanout = fanout;
        this.guard = guard;
        this.stats = stats;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<ValueAnswer> get(CacheKey key) {
        if (!guard.available()) {
            stats.record(Event.BYPASS, key.namespace());
            return Uni.createFrom().item(new ValueAnswer(null, CacheStatus.BYPASS, null));
        }
        long now = clock.millis();
        return reader.read(key, now).chain(found -> {
            if (found != null && found.envelope().isFresh(now)) {
                return Uni.createFrom().item(hit(key, found));
            }
            return leases.acquireAfterMiss(key).chain(first -> {
                if (first instanceof Turn.Lease l) {
                    stats.record(Event.MISS, key.namespace());
                    return Uni.createFrom().item(new ValueAnswer(null, CacheStatus.MISS, l.token()));
                }
                if (first instanceof Turn.Value v) {
                    return Uni.createFrom().item(hit(key, v.found()));
                }
                stats.record(Event.LEASE_WAIT, key.namespace());
                return leases.await(key).map(turn -> {
                    if (turn instanceof Turn.Value v) {
                        return hit(key, v.found());
                    }
                    stats.record(Event.MISS, key.namespace());
                    return new ValueAnswer(null, CacheStatus.MISS,
                            turn instanceof Turn.Lease l ? l.token() : null);
                });
            });
        }).onFailure(RedisUnavailable.class).recoverWithItem(() -> {
            stats.record(Event.BYPASS, key.namespace());
            return new ValueAnswer(null, CacheStatus.BYPASS, null);
        });
    }

    public Uni<Envelope> put(CacheKey key, JsonNode value, long ttlSeconds, List<String> userTags, String lease) {
        long now = clock.millis();
        long fresh = now + ttlSeconds * 1000;
        List<String> tags = tagsOf(key, userTags);
        Uni<Envelope> stored;
        if (lease != null) {
            Envelope[] made = new Envelope[1];
            stored = leaseFill.fill(key, lease, tags, versions -> made[0] = envelope(value, now, fresh, versions))
                    .map(outcome -> switch (outcome) {
                        case STORED -> made[0];
                        case TOO_LARGE -> throw tooLarge();
                        case REJECTED -> throw new ProblemException(CacheServiceProblem.LEASE_LOST,
                                "The lease for " + key.id() + " was revoked or has expired; the value was not stored");
                    });
        } else {
            stored = tagStore.versions(tags).map(versions -> envelope(value, now, fresh, versions))
                    .call(e -> store.put(key, e, now))
                    .invoke(e -> near.remove(key.id()))
                    .call(e -> fanout.publishKeys(List.of(key.id())));
        }
        return stored.invoke(metrics::recordWrite)
                .onFailure(RedisUnavailable.class).transform(ValueService::unavailable);
    }

    public Uni<Boolean> delete(CacheKey key) {
        return invalidation.invalidateKeys(List.of(key), "api").map(n -> n > 0)
                .onFailure(RedisUnavailable.class).transform(ValueService::unavailable);
    }

    private ValueAnswer hit(CacheKey key, EntryReader.Found found) {
        stats.record(Event.HIT, key.namespace());
        if (found.layer() == EntryReader.Layer.NEAR) {
            metrics.recordNearHit();
        }
        return new ValueAnswer(found.envelope(), CacheStatus.HIT, null);
    }

    private static Envelope envelope(JsonNode value, long now, long fresh, java.util.Map<String, String> versions) {
        return new Envelope(value, now, fresh, fresh, fresh, 0, versions, null);
    }

    private static List<String> tagsOf(CacheKey key, List<String> userTags) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add(Tags.namespace(key.namespace()));
        tags.addAll(userTags);
        return new ArrayList<>(tags);
    }

    private static ProblemException tooLarge() {
        return new ProblemException(CacheServiceProblem.VALUE_TOO_LARGE, "value is larger than max-value-bytes");
    }

    private static Throwable unavailable(Throwable e) {
        return new ProblemException(CacheServiceProblem.CACHE_UNAVAILABLE,
                "Redis cannot be reached; nothing was changed", e).withRetryAfter(1, java.util.Map.of());
    }
}
