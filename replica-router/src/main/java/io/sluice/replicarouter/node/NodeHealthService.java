package io.sluice.replicarouter.node;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.failover.TopologyStore;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.smallrye.mutiny.Uni;

/**
 * One probe round: probe every node, update its role, WAL position and lag, mark it down after N failures and up
 * after M successes, then exchange up/down changes with the other router instances through Redis.
 */
@ApplicationScoped
public class NodeHealthService {

    private static final Logger LOG = Logger.getLogger(NodeHealthService.class);

    private final NodeRegistry registry;
    private final NodeProber prober;
    private final NodeStateStore store;
    private final TopologyStore topologies;
    private final RouterConfig config;
    private final RouterMetrics metrics;
    private final Clock clock;
    private final LagEstimator lag = new LagEstimator();
    private final Map<String, Streak> streaks = new ConcurrentHashMap<>();
    private final Set<String> everUp = ConcurrentHashMap.newKeySet();

    public NodeHealthService(NodeRegistry registry, NodeProber prober, NodeStateStore store,
            TopologyStore topologies, RouterConfig config, RouterMetrics metrics, Clock clock) {
        this.topologies = topologies;
        this.registry = registry;
        this.prober = prober;
        this.store = store;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Consecutive probe outcomes of one node. */
    private static final class Streak {
        int successes;
        int failures;
    }

    public Uni<Void> probeAll() {
        List<Node> nodes = List.copyOf(registry.all());
        if (nodes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(nodes.stream().map(prober::probe).toList()).andCollectFailures()
                .map(observations -> apply(nodes, observations))
                .chain(this::share);
    }

    private List<Node> apply(List<Node> nodes, List<Observation> observations) {
        Instant now = clock.instant();
        for (Observation o : observations) {
            if (o.reachable() && !o.inRecovery()) {
                lag.recordPrimary(o.lsn(), now);
            }
        }
        List<Node> changed = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            Observation o = observations.get(i);
            NodeState before = node.state();
            boolean up = decide(node.name(), before.up(), o.reachable());
            NodeRole role = o.reachable() ? (o.inRecovery() ? NodeRole.REPLICA : NodeRole.PRIMARY) : before.role();
            double lagSeconds = !o.reachable() ? before.lagSeconds()
                    : role == NodeRole.REPLICA ? lag.lagSeconds(o.lsn(), o.secondsSinceReplay(), now) : 0;
            node.setState(new NodeState(up, role, o.reachable() ? o.lsn() : before.lsn(), lagSeconds,
                    up != before.up() ? now : before.since(), o.error()));
            if (o.reachable()) {
                node.setServer(o.server());
                registry.ensurePoolFor(node, role);
            }
            if (up != before.up()) {
                changed.add(node);
                LOG.infof("node %s is %s (%s)", node.name(), up ? "up" : "down",
                        up ? role : o.error());
                metrics.recordNodeChange(up);
            }
        }
        registry.reportPrimaryClaims();
        return changed;
    }

    /** Hysteresis; a node never seen up comes up on its first good probe, so start-up is quick. */
    private boolean decide(String node, boolean wasUp, boolean reachable) {
        Streak s = streaks.computeIfAbsent(node, n -> new Streak());
        if (reachable) {
            s.successes++;
            s.failures = 0;
            boolean firstEverUp = everUp.add(node);
            return wasUp || firstEverUp || s.successes >= config.health().upAfter();
        }
        s.failures++;
        s.successes = 0;
        return wasUp && s.failures < config.health().downAfter();
    }

    /** Publish our changes, then adopt any newer change another instance made. Redis trouble is counted, not fatal. */
    private Uni<Void> share(List<Node> changed) {
        Uni<Void> publish = changed.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(changed.stream()
                        .map(n -> store.publish(n.name(), new NodeStateStore.Verdict(n.isUp(), n.state().since())))
                        .toList()).andCollectFailures().replaceWithVoid();
        return publish
                .chain(store::all)
                .invoke(this::adopt)
                .chain(topologies::current)
                .invoke(registry::adopt)
                .replaceWithVoid()
                .onFailure().invoke(e -> {
                    metrics.recordStateSyncFailure();
                    LOG.debugf("node state not shared through Redis: %s", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    private void adopt(Map<String, NodeStateStore.Verdict> shared) {
        shared.forEach((name, verdict) -> registry.byName(name).ifPresent(node -> {
            NodeState mine = node.state();
            if (verdict.since().isAfter(mine.since()) && verdict.up() != mine.up()) {
                // Clamped to our clock, so an instance whose clock runs ahead cannot pin a verdict forever.
                Instant since = verdict.since().isAfter(clock.instant()) ? clock.instant() : verdict.since();
                node.setState(new NodeState(verdict.up(), mine.role(), mine.lsn(), mine.lagSeconds(),
                        since, verdict.up() ? null : "marked down by another router instance"));
                Streak s = streaks.computeIfAbsent(name, n -> new Streak());
                s.successes = 0;
                s.failures = 0;
                LOG.infof("node %s is %s (adopted from another router instance)", name, verdict.up() ? "up" : "down");
            }
        }));
    }
}
