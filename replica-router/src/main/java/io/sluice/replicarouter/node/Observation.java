package io.sluice.replicarouter.node;

/**
 * One probe's answer: reachable or not, in recovery or not, the node's WAL position (written on a primary,
 * replayed on a replica), seconds since it last replayed a transaction (replicas only), and which server answered
 * (system identifier and postmaster start: two node names reaching one server answer the same).
 */
public record Observation(boolean reachable, boolean inRecovery, long lsn, double secondsSinceReplay, String server,
        String error) {

    public static Observation failed(String error) {
        return new Observation(false, false, 0, 0, null, error);
    }
}
