package io.sluice.cacheservice.lease;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.EntryReader;
import io.sluice.cacheservice.entry.EntryStore;
import io.smallrye.mutiny.Uni;

/**
 * Memcache-style leases across the fleet: the first request to miss gets a token in Redis and loads; the others
 * wait a bounded time ({@code lease.max-wait}) re-checking for the value, and take over the lease if its holder
 * gave up or died (the lease key expires after {@code lease.ttl}).
 */
@ApplicationScoped
public class LeaseCoordinator {

    private final EntryStore store;
    private final EntryReader reader;
    private final CacheServiceConfig config;
    private final Clock clock;

    public LeaseCoordinator(EntryStore store, EntryReader reader, CacheServiceConfig config, Clock clock) {
        this.store = store;
        this.reader = reader;
        this.config = config;
        this.clock = clock;
    }

    /** A token, or null when another loader holds the lease (refreshing an entry that is still there). */
    public Uni<String> tryAcquire(CacheKey key) {
        return store.acquireLease(key, leaseMillis(), false).map(EntryStore.LeaseAttempt::token);
    }

    /**
     * For a request that read no valid entry: the lease, another loader's value stored since that read (a bare
     * SET NX would start a second load then, the first fill having freed the lease), or {@link Turn.Held}. An
     * entry that is there but not fresh or not valid (stale, tags invalidated) still gets the lease.
     */
    public Uni<Turn> acquireAfterMiss(CacheKey key) {
        return store.acquireLease(key, leaseMillis(), true).chain(attempt -> {
            if (attempt.token() != null) {
                return Uni.createFrom().item((Turn) new Turn.Lease(attempt.token()));
            }
            if (!attempt.entryExists()) {
                return Uni.createFrom().item((Turn) new Turn.Held());
            }
            return reader.reread(key).chain(found -> found != null && found.envelope().isFresh(clock.millis())
                    ? Uni.createFrom().item((Turn) new Turn.Value(found))
                    : tryAcquire(key).map(token -> token != null ? new Turn.Lease(token) : new Turn.Held()));
        });
    }

    private long leaseMillis() {
        return config.lease().ttl().toMillis();
    }

    /** Waits for the leaseholder's value or the lease, up to {@code lease.max-wait}. */
    public Uni<Turn> await(CacheKey key) {
        return poll(key, clock.millis() + config.lease().maxWait().toMillis());
    }

    private Uni<Turn> poll(CacheKey key, long deadline) {
        if (clock.millis() >= deadline) {
            return Uni.createFrom().item(new Turn.TimedOut());
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(config.lease().pollInterval())
                .chain(() -> reader.readRedis(key))
                .chain(found -> {
                    if (found != null && found.envelope().isFresh(clock.millis())) {
                        return Uni.createFrom().item((Turn) new Turn.Value(found));
                    }
                    return acquireAfterMiss(key).chain(turn -> turn instanceof Turn.Held
                            ? poll(key, deadline)
                            : Uni.createFrom().item(turn));
                });
    }
}
