package io.sluice.replicarouter.routing;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.node.Node;

/** Picks one of the eligible replicas: in turn (round-robin), or the one running the fewest statements. */
@ApplicationScoped
public class ReplicaSelector {

    private final AtomicLong turn = new AtomicLong();
    private final RouterConfig config;

    public ReplicaSelector(RouterConfig config) {
        this.config = config;
    }

    public Node pick(List<Node> eligible) {
        if (config.routing().strategy() == RouterConfig.Routing.Strategy.LEAST_OUTSTANDING) {
            return eligible.stream().min(Comparator.comparingInt(Node::outstanding)).orElseThrow();
        }
        return eligible.get((int) Math.floorMod(turn.getAndIncrement(), (long) eligible.size()));
    }
}
