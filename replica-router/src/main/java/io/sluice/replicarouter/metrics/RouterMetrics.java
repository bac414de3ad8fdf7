package io.sluice.replicarouter.metrics;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.routing.Reason;

/** Router meters. Tags are closed sets (role, reason, outcome) or node names from config; never SQL text. */
@Startup
@ApplicationScoped
public class RouterMetrics {

    private final Map<String, Counter> routed = new HashMap<>();
    private final Map<String, Counter> reports = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Counter> invalidations = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Counter> failovers = new java.util.concurrent.ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Counter misclassified;
    private final Counter nodeUp;
    private final Counter nodeDown;
    private final Counter syncFailures;
    private final Counter suspectedLeaks;
    private final Counter circuitOpens;
    private final Counter sessionFailures;
    private final Counter sessionRefused;
    private final Counter resetsOk;
    private final Counter resetsFailed;
    private final Counter clientCancels;
    private final Map<String, Counter> overloaded = new HashMap<>();
    private final Timer statementOk;
    private final Timer statementFailed;

    public RouterMetrics(MeterRegistry registry, NodeRegistry nodes) {
        this.registry = registry;
        for (NodeRole target : new NodeRole[] { NodeRole.PRIMARY, NodeRole.REPLICA }) {
            for (Reason reason : Reason.values()) {
                routed.put(target + ":" + reason, Counter.builder("sluice.replicarouter.routed")
                        .description("Statements routed, by target role and reason")
                        .tag("target", target.name().toLowerCase()).tag("reason", reason.tag())
                        .register(registry));
            }
        }
        this.misclassified = Counter.builder("sluice.replicarouter.misclassified")
                .description("Statements a replica refused as writes, retried on the primary").register(registry);
        this.nodeUp = nodeChanges(registry, "up");
        this.nodeDown = nodeChanges(registry, "down");
        this.syncFailures = Counter.builder("sluice.replicarouter.state.sync.failures")
                .description("Probe rounds whose node state could not be shared through Redis").register(registry);
        for (String outcome : new String[] { "sent", "dropped", "failed" }) {
            recordReports(outcome, 0);
        }
        for (String outcome : new String[] { "published", "failed" }) {
            invalidations.computeIfAbsent(outcome, o -> Counter.builder("sluice.replicarouter.invalidations")
                    .description("Invalidation stream entries, by outcome (published, failed)")
                    .tag("outcome", o).register(registry));
        }
        this.suspectedLeaks = Counter.builder("sluice.replicarouter.pool.suspected.leaks")
                .description("Connections held longer than the leak threshold").register(registry);
        this.circuitOpens = Counter.builder("sluice.replicarouter.circuit.opens")
                .description("Node circuits opened by repeated connection failures").register(registry);
        this.sessionFailures = Counter.builder("sluice.replicarouter.session.failures")
                .description("Session LSN reads or writes that failed because Redis was unreachable")
                .register(registry);
        this.sessionRefused = Counter.builder("sluice.replicarouter.session.refused")
                .description("Requests refused because a statement would change the session beyond the request")
                .register(registry);
        this.resetsOk = resets(registry, "ok");
        this.resetsFailed = resets(registry, "failed");
        this.clientCancels = Counter.builder("sluice.replicarouter.client.cancels")
                .description("Requests whose client went away before the answer; their statement was cancelled")
                .register(registry);
        for (String reason : new String[] { "queue-full", "wait-timeout" }) {
            overloaded.put(reason, Counter.builder("sluice.replicarouter.overloaded")
                    .description("Requests answered 503 overloaded because a pool's wait bound was hit, by reason")
                    .tag("reason", reason).register(registry));
        }
        this.statementOk = statements(registry, "ok");
        this.statementFailed = statements(registry, "error");
        for (Node node : nodes.all()) {
            Gauge.builder("sluice.replicarouter.node.up", node, n -> n.isUp() ? 1 : 0)
                    .description("1 when the node is up").tag("node", node.name()).register(registry);
            Gauge.builder("sluice.replicarouter.replica.lag", node, n -> n.state().lagSeconds())
                    .description("Replay lag behind the primary").baseUnit("seconds").tag("node", node.name())
                    .register(registry);
            Gauge.builder("sluice.replicarouter.node.primary", node,
                    n -> nodes.primary().filter(p -> p == n).isPresent() ? 1 : 0)
                    .description("1 for the node writes go to").tag("node", node.name()).register(registry);
            Gauge.builder("sluice.replicarouter.pool.in.use", node, n -> n.stats().inUse())
                    .description("Connections in use").tag("node", node.name()).register(registry);
            Gauge.builder("sluice.replicarouter.pool.waiting", node, n -> n.stats().waitingNow())
                    .description("Requests waiting for a connection").tag("node", node.name()).register(registry);
            Gauge.builder("sluice.replicarouter.pool.max.size", node, Node::maxSize)
                    .description("Configured pool size").tag("node", node.name()).register(registry);
            Gauge.builder("sluice.replicarouter.pool.utilisation", node,
                    n -> n.maxSize() == 0 ? 0 : (double) n.stats().inUse() / n.maxSize())
                    .description("Connections in use / pool size").baseUnit("ratio").tag("node", node.name())
                    .register(registry);
        }
    }

    /** Statements routed since start, by target role ({@code primary}, {@code replica}), every reason summed. */
    public Map<String, Double> routedTotals() {
        Map<String, Double> totals = new java.util.TreeMap<>();
        for (NodeRole target : new NodeRole[] { NodeRole.PRIMARY, NodeRole.REPLICA }) {
            double sum = 0;
            for (Reason reason : Reason.values()) {
                sum += routed.get(target + ":" + reason).count();
            }
            totals.put(target.name().toLowerCase(), sum);
        }
        return totals;
    }

    public void recordRouted(NodeRole target, Reason reason) {
        routed.get(target + ":" + reason).increment();
    }

    public void recordMisclassified() {
        misclassified.increment();
    }

    public void recordNodeChange(boolean up) {
        (up ? nodeUp : nodeDown).increment();
    }

    public void recordFailover(String outcome) {
        failovers.computeIfAbsent(outcome, o -> Counter.builder("sluice.replicarouter.failovers")
                .description("Failover requests by outcome (promoted, refused, dry_run, failed)")
                .tag("outcome", o).register(registry)).increment();
    }

    public void recordSessionFailure() {
        sessionFailures.increment();
    }

    public void recordSessionRefused() {
        sessionRefused.increment();
    }

    /** A connection's session was reset before going back to its pool; {@code ok} false: its backend was ended. */
    public void recordSessionReset(boolean ok) {
        (ok ? resetsOk : resetsFailed).increment();
    }

    public void recordClientCancel() {
        clientCancels.increment();
    }

    /** @param reason queue-full or wait-timeout */
    public void recordOverloaded(String reason) {
        overloaded.get(reason).increment();
    }

    public void recordCircuitOpened() {
        circuitOpens.increment();
    }

    public void recordSuspectedLeak() {
        suspectedLeaks.increment();
    }

    public void recordStateSyncFailure() {
        syncFailures.increment();
    }

    public void recordReports(String outcome, int count) {
        reports.computeIfAbsent(outcome, o -> Counter.builder("sluice.replicarouter.reports")
                .description("Statement samples for query-monitor, by outcome (sent, dropped, failed)")
                .tag("outcome", o).register(registry)).increment(count);
    }

    public void recordInvalidation(String outcome) {
        invalidations.computeIfAbsent(outcome, o -> Counter.builder("sluice.replicarouter.invalidations")
                .description("Invalidation stream entries, by outcome (published, failed)")
                .tag("outcome", o).register(registry)).increment();
    }

    public Timer.Sample start() {
        return Timer.start();
    }

    public void stop(Timer.Sample sample, boolean ok) {
        sample.stop(ok ? statementOk : statementFailed);
    }

    private static Counter nodeChanges(MeterRegistry registry, String to) {
        return Counter.builder("sluice.replicarouter.node.changes").description("Nodes marked up or down")
                .tag("to", to).register(registry);
    }

    private static Counter resets(MeterRegistry registry, String outcome) {
        return Counter.builder("sluice.replicarouter.session.resets")
                .description("Connections reset before going back to the pool, by outcome (ok, failed: backend ended)")
                .tag("outcome", outcome).register(registry);
    }

    private static Timer statements(MeterRegistry registry, String outcome) {
        return Timer.builder("sluice.replicarouter.statement.duration")
                .description("Statement execution time as seen by the router")
                .tag("outcome", outcome)
                .register(registry);
    }
}
