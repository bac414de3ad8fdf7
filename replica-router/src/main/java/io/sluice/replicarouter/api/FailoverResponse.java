package io.sluice.replicarouter.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a failover did (or, for a dry run, would do). */
public record FailoverResponse(@JsonProperty("dry_run") boolean dryRun, String promoted, String oldPrimary,
        boolean oldPrimaryReachable, boolean forced, long epoch, List<String> steps,
        List<FollowingReplica> replicasFollowingOldPrimary, long tookMs) {

    /** A replica that still streams from somewhere other than the new primary: rebuild or repoint it (RB-3). */
    public record FollowingReplica(String node, String following) {
    }
}
