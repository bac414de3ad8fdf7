package io.sluice.cacheservice.redis;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * At most {@code max} Redis commands in flight; the others wait, in order, without blocking a thread. Vert.x's
 * Redis Cluster client holds a pooled connection for each command and, when its slot map expires, needs one more
 * to refresh it: with every connection held by a command waiting for that refresh, all of them hang until their
 * deadline (vertx-redis-client#541). Kept below the pool size, one connection is always free for the refresh.
 */
final class InFlightLimit {

    private static final int WAITING = 0;
    private static final int HELD = 1;
    private static final int FREED = 2;

    /** One call's claim on a slot: waiting for it, holding it, or done (ended, failed or cancelled). */
    private static final class Claim {
        final AtomicInteger state = new AtomicInteger(WAITING);
        UniEmitter<? super Void> emitter;
    }

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Claim> waiting = new ConcurrentLinkedQueue<>();

    InFlightLimit(int max) {
        this.max = max;
    }

    /** {@code command}, subscribed once a slot is free; the slot is freed when it ends, fails or is cancelled. */
    <T> Uni<T> run(Uni<T> command) {
        return Uni.createFrom().deferred(() -> {
            Claim claim = new Claim();
            return permit(claim).chain(() -> command).onTermination().invoke(() -> free(claim));
        });
    }

    int inFlight() {
        return inFlight.get();
    }

    private Uni<Void> permit(Claim claim) {
        return Uni.createFrom().emitter(emitter -> {
            claim.emitter = emitter;
            if (tryAcquire()) {
                claim.state.set(HELD);
                emitter.complete(null);
            } else {
                waiting.add(claim);
                drain();
            }
        });
    }

    private boolean tryAcquire() {
        int n;
        do {
            n = inFlight.get();
            if (n >= max) {
                return false;
            }
        } while (!inFlight.compareAndSet(n, n + 1));
        return true;
    }

    private void free(Claim claim) {
        if (claim.state.getAndSet(FREED) == HELD) {
            inFlight.decrementAndGet();
            drain();
        }
    }

    /** Hands free slots to waiters in order; one whose call was cancelled meanwhile gives its slot back. */
    private void drain() {
        while (!waiting.isEmpty() && tryAcquire()) {
            Claim next = waiting.poll();
            if (next != null && next.state.compareAndSet(WAITING, HELD)) {
                next.emitter.complete(null);
            } else {
                inFlight.decrementAndGet();
            }
        }
    }
}
