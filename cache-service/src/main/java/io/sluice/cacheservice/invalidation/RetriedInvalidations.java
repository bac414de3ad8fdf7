package io.sluice.cacheservice.invalidation;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.tag.Tags;
import io.smallrye.mutiny.Uni;

/**
 * Invalidations that must not be lost although their source cannot replay them (NOTIFY): each waits here until
 * Redis has applied it, retried with a backoff from {@code invalidation.retry-interval} doubling to 5 s. More than
 * {@code invalidation.max-pending} tables waiting become one fail-safe invalidation of every query result
 * (broadened, counted). A notification that arrives while its table waits is applied again after it.
 */
@ApplicationScoped
public class RetriedInvalidations {

    /** Stands for every query result (a reconnect: anything may have been missed). */
    static final String EVERYTHING = "*";
    private static final Logger LOG = Logger.getLogger(RetriedInvalidations.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** One waiting table: the newest notification's number, and when the oldest one was sent (ms, or -1). */
    private record Pending(long seq, long firstAtMs) {
    }

    private final InvalidationService invalidation;
    private final FailSafeInvalidation failSafe;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final Duration firstBackoff;
    private final int maxPending;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();

    public RetriedInvalidations(InvalidationService invalidation, FailSafeInvalidation failSafe, CacheMetrics metrics,
            CacheServiceConfig config, Clock clock) {
        this.invalidation = invalidation;
        this.failSafe = failSafe;
        this.metrics = metrics;
        this.clock = clock;
        this.firstBackoff = config.invalidation().retryInterval();
        this.maxPending = config.invalidation().maxPending();
        metrics.watchPendingInvalidations(pending, Map::size);
    }

    /** A write to this table ({@code schema.table}) was notified at {@code atMs} (epoch ms, or -1 if unknown). */
    public void table(String table, long atMs) {
        add(table, atMs);
    }

    /** Anything may have been missed: every query result, through the rate-limited fail safe. */
    public void everything() {
        add(EVERYTHING, -1);
    }

    public int waiting() {
        return pending.size();
    }

    private void add(String what, long atMs) {
        long seq = sequence.incrementAndGet();
        pending.merge(what, new Pending(seq, atMs), (old, now) -> new Pending(now.seq(),
                old.firstAtMs() < 0 ? now.firstAtMs() : now.firstAtMs() < 0 ? old.firstAtMs()
                        : Math.min(old.firstAtMs(), now.firstAtMs())));
        if (pending.size() > maxPending) {
            pending.clear();
            pending.put(EVERYTHING, new Pending(sequence.incrementAndGet(), -1));
            metrics.recordNotifyRetry("broadened");
            LOG.warnf("more than %d NOTIFY invalidations wait for Redis: invalidating every query result instead",
                    maxPending);
        }
        drain(firstBackoff);
    }

    private void drain(Duration backoff) {
        if (pending.isEmpty() || !draining.compareAndSet(false, true)) {
            return;
        }
        Map<String, Pending> batch = Map.copyOf(pending);
        apply(batch).subscribe().with(v -> {
            batch.forEach(pending::remove); // only those not notified again meanwhile (same seq)
            long now = clock.millis();
            batch.values().stream().filter(p -> p.firstAtMs() > 0)
                    .forEach(p -> metrics.recordInvalidationLag(Duration.ofMillis(now - p.firstAtMs())));
            draining.set(false);
            drain(firstBackoff);
        }, e -> {
            metrics.recordNotifyRetry("retried");
            LOG.debugf("%s NOTIFY invalidation(s) not applied (%s); retrying in %s ms", (Object) batch.size(),
                    e.getMessage(), backoff.toMillis());
            Uni.createFrom().voidItem().onItem().delayIt().by(backoff).subscribe().with(x -> {
                draining.set(false);
                Duration next = backoff.multipliedBy(2);
                drain(next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next);
            });
        });
    }

    private Uni<Void> apply(Map<String, Pending> batch) {
        List<String> tables = batch.keySet().stream().filter(t -> !t.equals(EVERYTHING)).map(Tags::table).toList();
        Uni<Void> tagged = tables.isEmpty() ? Uni.createFrom().voidItem()
                : invalidation.invalidateTags(tables, "notify").replaceWithVoid();
        return batch.containsKey(EVERYTHING)
                ? tagged.chain(() -> failSafe.invalidateAll("the NOTIFY listener reconnected: notifications may have "
                        + "been missed"))
                : tagged;
    }
}
