package io.sluice.replicarouter.routing;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.Classification.RouteHint;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.node.NodeRole;

/**
 * Chooses a node. Writes, and whatever is not provably read-only, go to the primary. Reads go to a replica that is
 * up, with its circuit closed, within the lag limit and (for read-your-writes) past the client's LSN; when none
 * qualifies they fall back to the primary, and the reason says why.
 */
@ApplicationScoped
public class Router {

    private final NodeRegistry nodes;
    private final ReplicaSelector selector;
    private final RouterConfig config;

    public Router(NodeRegistry nodes, ReplicaSelector selector, RouterConfig config) {
        this.nodes = nodes;
        this.selector = selector;
        this.config = config;
    }

    /**
     * @param readOnly whether the statement (or batch) may run on a replica
     * @param commentHint a routing hint from the SQL's comments
     * @param exclude nodes already tried for this request
     */
    public Route route(boolean readOnly, Optional<RouteHint> commentHint, RouteHints hints, Set<Node> exclude) {
        Optional<RouteHint> hint = hints.route().or(() -> commentHint);
        boolean hinted = hint.isPresent();
        boolean wantsReplica = hinted ? hint.get() == RouteHint.REPLICA : readOnly;
        if (!wantsReplica) {
            return primary(hinted ? Reason.HINT : Reason.WRITE);
        }
        double maxLag = config.routing().maxLag().toMillis() / 1000.0;
        List<Node> upReplicas = nodes.replicas().stream()
                .filter(n -> n.isUp() && !n.circuit().isOpen() && !exclude.contains(n)).toList();
        List<Node> fresh = upReplicas.stream().filter(n -> n.state().lagSeconds() <= maxLag).toList();
        List<Node> eligible = fresh.stream()
                .filter(n -> hints.minLsn().isEmpty() || n.state().lsn() >= hints.minLsn().getAsLong()).toList();
        if (!eligible.isEmpty()) {
            return new Route(selector.pick(eligible), NodeRole.REPLICA,
                    !exclude.isEmpty() ? Reason.RETRY : hinted ? Reason.HINT : Reason.READ);
        }
        Reason why = !exclude.isEmpty() ? Reason.RETRY : !fresh.isEmpty() ? Reason.LSN
                : !upReplicas.isEmpty() ? Reason.LAG : nodes.replicas().isEmpty() ? Reason.NO_REPLICA
                : Reason.FALLBACK;
        return primary(why);
    }

    /** The primary, or a fast 503 when no node is known to be it (or several different servers claim it). */
    public Route primary(Reason reason) {
        Node primary = nodes.primary().orElseThrow(() -> nodes.isSplitBrain()
                ? new ProblemException(ReplicaRouterProblem.SPLIT_BRAIN, "Writes are refused: "
                        + nodes.primaryClaimants().stream().map(Node::name).toList()
                        + " all claim to be the primary and no failover recorded which one is; demote all but one, "
                        + "or record one with POST /v1/admin/failover")
                : new ProblemException(ReplicaRouterProblem.PRIMARY_UNAVAILABLE,
                        "No primary is reachable; writes are refused until one is back or a replica is promoted"));
        return new Route(primary, NodeRole.PRIMARY, reason);
    }
}
