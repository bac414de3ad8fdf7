package io.sluice.replicarouter.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.sluice.replicarouter.failover.FailoverOutcome;

/** What a failover did (or, for a dry run, would do). */
public record FailoverResponse(@JsonProperty("dry_run") boolean dryRun, String promoted, String oldPrimary,
        boolean oldPrimaryReachable, boolean forced, long epoch, List<String> steps,
        List<FollowingReplica> replicasFollowingOldPrimary, long tookMs) {

    /** A replica that still streams from somewhere other than the new primary: rebuild or repoint it (RB-3). */
    public record FollowingReplica(String node, String following) {
    }

    public static FailoverResponse of(FailoverOutcome o) {
        return new FailoverResponse(o.dryRun(), o.promoted(), o.oldPrimary(), o.oldPrimaryReachable(), o.forced(),
                o.epoch(), o.steps(),
                o.replicasFollowingOldPrimary().stream().map(f -> new FollowingReplica(f.node(), f.following())).toList(),
                o.tookMs());
    }
}
