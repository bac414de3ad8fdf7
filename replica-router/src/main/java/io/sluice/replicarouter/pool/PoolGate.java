package io.sluice.replicarouter.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;

/**
 * Admission to one node's pool: at most as many requests hold a connection as the pool has, at most
 * {@code maxWaiters} wait for one, none longer than {@code maxWait}. Past either bound a request is refused at once
 * ({@link Refused}); nothing waits without limit. The reactive pool behind it is therefore never asked for more than
 * it has, so its own wait queue and acquire timeout (whose race between a timeout and a connection coming free lost
 * connections for good under load) are never used.
 */
public final class PoolGate {

    /** Why a request was refused a connection. */
    public enum Refusal {
        QUEUE_FULL, WAIT_TIMEOUT
    }

    /** A refused request: the pool stays full for longer than the request may wait. */
    public static final class Refused extends RuntimeException {
        private final Refusal reason;

        Refused(Refusal reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }

        public Refusal reason() {
            return reason;
        }
    }

    private static final class Waiter {
        final UniEmitter<? super Void> emitter;
        long timer;

        Waiter(UniEmitter<? super Void> emitter) {
            this.emitter = emitter;
        }
    }

    private final Vertx vertx;
    private final int maxWaiters;
    private final Duration maxWait;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private int permits;
    private int inUse;

    public PoolGate(Vertx vertx, int permits, int maxWaiters, Duration maxWait) {
        this.vertx = vertx;
        this.permits = permits;
        this.maxWaiters = maxWaiters;
        this.maxWait = maxWait;
    }

    /** Completes once the caller may take a connection; then {@link #release()} must follow, exactly once. */
    public Uni<Void> acquire() {
        return Uni.createFrom().emitter(emitter -> {
            Waiter waiter = null;
            synchronized (this) {
                if (inUse < permits && waiters.isEmpty()) {
                    inUse++;
                } else if (waiters.size() >= maxWaiters) {
                    emitter.fail(new Refused(Refusal.QUEUE_FULL));
                    return;
                } else {
                    waiter = new Waiter(emitter);
                    waiters.addLast(waiter);
                }
            }
            if (waiter == null) {
                emitter.complete(null);
                return;
            }
            Waiter queued = waiter;
            queued.timer = vertx.setTimer(Math.max(1, maxWait.toMillis()), id -> expire(queued));
            emitter.onTermination(() -> abandon(queued));
        });
    }

    /** Gives the permit to the longest waiter, or back to the gate. */
    public void release() {
        Waiter next;
        synchronized (this) {
            next = inUse <= permits ? waiters.pollFirst() : null;
            if (next == null) {
                inUse--;
            }
        }
        if (next != null) {
            vertx.cancelTimer(next.timer);
            next.emitter.complete(null);
        }
    }

    /** A new pool size: more permits serve waiters at once; fewer take effect as connections come back. */
    public void resize(int newPermits) {
        synchronized (this) {
            permits = newPermits;
        }
        grantFreePermits();
    }

    public synchronized int waiting() {
        return waiters.size();
    }

    private void grantFreePermits() {
        while (true) {
            Waiter next;
            synchronized (this) {
                if (inUse >= permits || waiters.isEmpty()) {
                    return;
                }
                next = waiters.pollFirst();
                inUse++;
            }
            vertx.cancelTimer(next.timer);
            next.emitter.complete(null);
        }
    }

    private void expire(Waiter waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiters.remove(waiter);
        }
        if (removed) {
            waiter.emitter.fail(new Refused(Refusal.WAIT_TIMEOUT));
        }
    }

    /** A waiter whose subscriber went away no longer holds a place in the queue. */
    private void abandon(Waiter waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiters.remove(waiter);
        }
        if (removed) {
            vertx.cancelTimer(waiter.timer);
        }
    }
}
