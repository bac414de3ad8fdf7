package io.sluice.replicarouter.pool;

import java.time.Instant;

/** A connection taken from a node's pool for one request: who took it, when, and for which statement. */
public record Lease(long id, String requestId, String fingerprint, Instant since) {
}
