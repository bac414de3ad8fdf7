package io.sluice.replicarouter.failover;

/** Promote {@code promote}; {@code force} accepts a still-answering old primary; {@code dryRun} only reports. */
public record FailoverOrder(String promote, boolean force, boolean dryRun) {
}
