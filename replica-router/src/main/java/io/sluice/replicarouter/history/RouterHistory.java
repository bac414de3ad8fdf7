package io.sluice.replicarouter.history;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.sluice.common.history.ServiceHistory;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The router's chart figures over the last hour (GET /v1/history): {@code lagSeconds:<replica>}, each replica's
 * replay lag as the last probe measured it (the {@code replica.lag} gauge; no point while the replica is down), and
 * {@code routed:<primary|replica>}, the statements this instance routed to that role since the previous point.
 */
@Startup
@Singleton
public class RouterHistory extends ServiceHistory {

    private final NodeRegistry nodes;
    private final RouterMetrics metrics;

    public RouterHistory(RouterConfig config, NodeRegistry nodes, RouterMetrics metrics, Clock clock) {
        super("replica-router", config.history(), clock);
        this.nodes = nodes;
        this.metrics = metrics;
    }

    @Override
    protected Uni<Map<String, Double>> figures() {
        Map<String, Double> figures = new TreeMap<>();
        for (Node replica : nodes.replicas()) {
            if (replica.isUp()) {
                figures.put("lagSeconds:" + replica.name(), replica.state().lagSeconds());
            }
        }
        metrics.routedTotals().forEach((target, total) -> figures.put("routed:" + target,
                deltas.increase(target, total)));
        return Uni.createFrom().item(figures);
    }
}
