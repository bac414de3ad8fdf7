package io.sluice.replicarouter.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.node.NodeRole;

/**
 * Ready while some node can answer: reads keep working without a primary, and a lagging replica is routed
 * around, not a reason to stop traffic. The data says what is down, since when, and what it means.
 */
@Readiness
@ApplicationScoped
public class NodesHealthCheck implements AsyncHealthCheck {

    private final NodeRegistry nodes;
    private final RouterConfig config;

    public NodesHealthCheck(NodeRegistry nodes, RouterConfig config) {
        this.nodes = nodes;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var builder = HealthCheckResponse.named("replica-router-nodes");
        boolean anyUp = false;
        double maxLag = config.routing().maxLag().toMillis() / 1000.0;
        boolean replicaServing = false;
        for (Node node : nodes.all()) {
            var s = node.state();
            anyUp |= s.up();
            replicaServing |= s.up() && s.role() == NodeRole.REPLICA && s.lagSeconds() <= maxLag;
            builder.withData(node.name(), (s.up() ? "up" : "down") + ", " + s.role().name().toLowerCase()
                    + (nodes.isAliasOfPrimary(node) ? " (the same server as the primary)" : "")
                    + ", lag " + s.lagSeconds() + " s, since " + s.since()
                    + (s.lastError() == null ? "" : ", last error: " + s.lastError()));
        }
        // "writes" and "reads" sum up; the other keys are node names (a node may be called "primary").
        builder.withData("writes", nodes.primary().map(n -> "go to " + n.name()).orElse(nodes.isSplitBrain()
                ? "refused (503 split-brain): " + nodes.primaryClaimants().stream().map(Node::name).toList()
                        + " all claim to be the primary"
                : "refused (503 primary-unavailable): no primary is reachable"));
        builder.withData("reads", replicaServing ? "served by replicas"
                : nodes.replicas().isEmpty() ? "served by the primary: no replica is configured (one node)"
                : "falling back to the primary");
        return Uni.createFrom().item(builder.status(anyUp).build());
    }
}
