package io.sluice.replicarouter.node;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Replica lag in time, from LSNs: how long ago the primary first had WAL that the replica has not replayed yet.
 * Never now() - pg_last_xact_replay_timestamp() alone, which grows while the primary is idle; that figure only
 * caps the estimate. A caught-up replica has lag 0.
 */
public final class LagEstimator {

    private static final int HISTORY = 600;

    /** (primary LSN, when first seen), oldest first, LSNs increasing. */
    private final Deque<long[]> history = new ArrayDeque<>();

    public synchronized void recordPrimary(long lsn, Instant at) {
        if (history.isEmpty() || history.peekLast()[0] < lsn) {
            history.addLast(new long[] { lsn, at.toEpochMilli() });
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    public synchronized double lagSeconds(long replayLsn, double secondsSinceReplay, Instant now) {
        if (history.isEmpty() || replayLsn >= history.peekLast()[0]) {
            return 0;
        }
        long firstUnreplayedAt = history.peekLast()[1];
        for (long[] seen : history) {
            if (seen[0] > replayLsn) {
                firstUnreplayedAt = seen[1];
                break;
            }
        }
        double sinceBehind = Math.max(0,
                Duration.between(Instant.ofEpochMilli(firstUnreplayedAt), now).toMillis() / 1000.0);
        // The time since the last replayed commit is an upper bound of the true lag.
        return secondsSinceReplay > 0 ? Math.min(sinceBehind, secondsSinceReplay) : sinceBehind;
    }
}
