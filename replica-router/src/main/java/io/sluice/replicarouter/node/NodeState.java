package io.sluice.replicarouter.node;

import java.time.Instant;

/**
 * What is known of a node: up or down (after hysteresis), its role, how far it has replayed (or, on the primary,
 * written) WAL, its replay lag in seconds (0 when caught up), and when the up/down verdict last changed.
 */
public record NodeState(boolean up, NodeRole role, long lsn, double lagSeconds, Instant since, String lastError) {

    public static NodeState unknown(Instant now) {
        return new NodeState(false, NodeRole.UNKNOWN, 0, 0, now, "not probed yet");
    }
}
