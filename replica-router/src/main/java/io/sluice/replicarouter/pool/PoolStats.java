package io.sluice.replicarouter.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one node's pool is doing: connections in use and waited for, acquire and hold times, live leases (for leak
 * detection) and totals for throughput. Kept by the router around every connection it takes.
 */
public final class PoolStats {

    private final Clock clock;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong holdNanosTotal = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final LatencyWindow acquire = new LatencyWindow(2048);
    private final LatencyWindow hold = new LatencyWindow(2048);
    private final java.util.Deque<long[]> snapshots = new java.util.ArrayDeque<>();
    private final Map<Long, Lease> leases = new ConcurrentHashMap<>();

    public PoolStats(Clock clock) {
        this.clock = clock;
    }

    public void waiting() {
        waiting.incrementAndGet();
    }

    /** The wait ended with a connection (or with a failure, then {@code lease} is not called). */
    public void waited(long acquireNanos) {
        waiting.decrementAndGet();
        acquire.record(acquireNanos);
    }

    public Lease lease(String requestId, String fingerprint) {
        inUse.incrementAndGet();
        Lease lease = new Lease(ids.incrementAndGet(), requestId, fingerprint, clock.instant());
        leases.put(lease.id(), lease);
        return lease;
    }

    public void release(Lease lease) {
        if (leases.remove(lease.id()) != null) {
            inUse.decrementAndGet();
            long held = Duration.between(lease.since(), clock.instant()).toNanos();
            hold.record(held);
            holdNanosTotal.addAndGet(held);
            completed.incrementAndGet();
        }
    }

    /** Remembers the totals now; {@link #recentLoad()} compares against the oldest kept (about a minute). */
    public synchronized void snapshot(int keep) {
        snapshots.addLast(new long[] { clock.millis(), completed.get(), holdNanosTotal.get() });
        while (snapshots.size() > keep) {
            snapshots.removeFirst();
        }
    }

    /** Statements per second and mean hold seconds over the snapshot window; zeros before two snapshots. */
    public synchronized double[] recentLoad() {
        if (snapshots.size() < 2) {
            return new double[] { 0, 0 };
        }
        long[] first = snapshots.peekFirst();
        long[] last = snapshots.peekLast();
        double seconds = Math.max(0.001, (last[0] - first[0]) / 1000.0);
        long done = last[1] - first[1];
        double meanHold = done == 0 ? 0 : (last[2] - first[2]) / 1e9 / done;
        return new double[] { done / seconds, meanHold };
    }

    public int inUse() {
        return inUse.get();
    }

    public int waitingNow() {
        return waiting.get();
    }

    public long completed() {
        return completed.get();
    }

    public long holdNanosTotal() {
        return holdNanosTotal.get();
    }

    public LatencyWindow acquireTimes() {
        return acquire;
    }

    public LatencyWindow holdTimes() {
        return hold;
    }

    /** Leases held longer than the threshold, oldest first: likely leaks or stuck statements. */
    public List<Lease> heldLongerThan(Duration threshold) {
        Instant cutoff = clock.instant().minus(threshold);
        return leases.values().stream().filter(l -> l.since().isBefore(cutoff))
                .sorted(Comparator.comparing(Lease::since)).toList();
    }
}
