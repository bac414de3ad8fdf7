package io.sluice.replicarouter.failover;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.replicarouter.node.ControlConnections;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeProber;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.node.NodeRole;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Manual failover (RB-2): checks the old primary is really gone (or the operator forces it), promotes the replica
 * with pg_promote and waits until it leaves recovery, records the new primary with a new epoch in Redis so every
 * router instance writes only there, and reports the replicas still following the old primary.
 */
@ApplicationScoped
public class FailoverService {

    private static final Logger LOG = Logger.getLogger(FailoverService.class);
    private static final String PROMOTE = "SELECT pg_promote(true, 60)";
    private static final String UPSTREAM = "SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver";

    private final NodeRegistry nodes;
    private final NodeProber prober;
    private final TopologyStore topology;
    private final RouterConfig config;
    private final RouterMetrics metrics;
    private final ControlConnections control;

    public FailoverService(NodeRegistry nodes, NodeProber prober, TopologyStore topology, RouterConfig config,
            RouterMetrics metrics, ControlConnections control) {
        this.control = control;
        this.nodes = nodes;
        this.prober = prober;
        this.topology = topology;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<FailoverOutcome> failover(FailoverOrder request) {
        long started = System.currentTimeMillis();
        Node target = nodes.byName(request.promote()).orElseThrow(() -> new ProblemException(
                CommonProblem.NOT_FOUND, "No node named '" + request.promote() + "'; see GET /v1/nodes"));
        if (target.role() != NodeRole.REPLICA || !target.isUp()) {
            throw refused("'" + target.name() + "' is not an up replica (it is " + (target.isUp() ? "up" : "down")
                    + ", " + target.role().name().toLowerCase() + ")");
        }
        Optional<Node> oldPrimary = nodes.all().stream()
                .filter(n -> n != target && n.role() == NodeRole.PRIMARY).findFirst();
        Uni<Boolean> reachable = oldPrimary.map(p -> prober.probe(p).map(o -> o.reachable() && !o.inRecovery()))
                .orElse(Uni.createFrom().item(false));
        return reachable.chain(alive -> {
            String old = oldPrimary.map(Node::name).orElse(null);
            if (alive && !request.force()) {
                throw refused("The primary '" + old + "' still answers: promoting now would leave two primaries. "
                        + "Stop it first, or pass force to accept that risk");
            }
            List<Node> others = nodes.replicas().stream().filter(n -> n != target).toList();
            if (request.dryRun()) {
                metrics.recordFailover("dry_run");
                return followers(others, target).map(f -> new FailoverOutcome(true, target.name(), old, alive,
                        request.force(), nodes.topology().epoch(), plan(target, old, alive), f,
                        System.currentTimeMillis() - started));
            }
            return promote(target)
                    .chain(() -> topology.record(target.name()))
                    .invoke(epoch -> {
                        nodes.adopt(new Topology(epoch, target.name()));
                        nodes.markPromoted(target);
                        metrics.recordFailover("promoted");
                        LOG.warnf("FAILOVER epoch %d: %s promoted (old primary %s, %s)", epoch, target.name(), old,
                                alive ? "still reachable, forced" : "unreachable");
                    })
                    .chain(epoch -> followers(others, target).map(f -> new FailoverOutcome(false, target.name(),
                            old, alive, request.force(), epoch, plan(target, old, alive), f,
                            System.currentTimeMillis() - started)));
        });
    }

    private Uni<Void> promote(Node target) {
        return control.query(target, PROMOTE)
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(promoted -> prober.probe(target).map(o -> promoted && o.reachable() && !o.inRecovery()))
                .invoke(done -> {
                    if (!done) {
                        metrics.recordFailover("failed");
                        throw new ProblemException(ReplicaRouterProblem.FAILOVER_FAILED, target.name()
                                + " did not leave recovery within 60 s; check its log before retrying");
                    }
                })
                .replaceWithVoid();
    }

    /** Replicas whose WAL receiver streams from anywhere but the new primary. */
    private Uni<List<FailoverOutcome.FollowingReplica>> followers(List<Node> replicas, Node newPrimary) {
        String target = hostPort(config.nodes().get(newPrimary.name()).url());
        return Multi.createFrom().iterable(replicas)
                .onItem().transformToUniAndConcatenate(n -> control.query(n, UPSTREAM)
                        .map(rows -> rows.size() == 0 ? "nothing (no WAL receiver)"
                                : rows.iterator().next().getString(0))
                        .onFailure().recoverWithItem("unknown (not reachable)")
                        .map(upstream -> new FailoverOutcome.FollowingReplica(n.name(), upstream)))
                .filter(f -> !f.following().equals(target))
                .collect().asList();
    }

    private static List<String> plan(Node target, String old, boolean alive) {
        List<String> steps = new ArrayList<>();
        steps.add("check the old primary " + (old == null ? "(none known)" : old) + ": "
                + (alive ? "still answers" : "unreachable"));
        steps.add("SELECT pg_promote(true, 60) on " + target.name() + " and wait until it leaves recovery");
        steps.add("record " + target.name() + " as primary with a new epoch in Redis; every router instance "
                + "sends writes there from its next probe round");
        steps.add("rebuild the old primary and any replica still following it as replicas of " + target.name());
        return steps;
    }

    private static String hostPort(String url) {
        URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    private ProblemException refused(String detail) {
        metrics.recordFailover("refused");
        return new ProblemException(ReplicaRouterProblem.FAILOVER_REFUSED, detail);
    }
}
