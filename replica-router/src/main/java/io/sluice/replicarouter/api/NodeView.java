package io.sluice.replicarouter.api;

import java.time.Instant;

import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.node.Node;

/** A node as operators see it in GET /v1/nodes and in readiness data. */
public record NodeView(String name, boolean up, String role, boolean stale, boolean circuitOpen, String lsn,
        double lagSeconds, Instant since, String lastError, int outstanding) {

    /** @param stale a primary the recorded failover did not choose: it gets no traffic */
    public static NodeView of(Node node, boolean stale) {
        var s = node.state();
        return new NodeView(node.name(), s.up(), s.role().name().toLowerCase(), stale, node.circuit().isOpen(),
                Lsn.format(s.lsn()),
                s.lagSeconds(), s.since(), s.lastError(), node.outstanding());
    }
}
