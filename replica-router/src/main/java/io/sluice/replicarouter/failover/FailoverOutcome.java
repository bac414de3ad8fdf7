package io.sluice.replicarouter.failover;

import java.util.List;

/** What a failover did (or, for a dry run, would do). */
public record FailoverOutcome(boolean dryRun, String promoted, String oldPrimary, boolean oldPrimaryReachable,
        boolean forced, long epoch, List<String> steps, List<FollowingReplica> replicasFollowingOldPrimary,
        long tookMs) {

    /** A replica that still streams from somewhere other than the new primary: rebuild or repoint it (RB-3). */
    public record FollowingReplica(String node, String following) {
    }
}
