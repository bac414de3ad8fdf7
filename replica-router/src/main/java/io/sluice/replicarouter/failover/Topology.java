package io.sluice.replicarouter.failover;

/** Which node is the primary since the last failover, and that failover's epoch (1, 2, ...; 0 = none yet). */
public record Topology(long epoch, String primary) {

    public static final Topology NONE = new Topology(0, null);
}
