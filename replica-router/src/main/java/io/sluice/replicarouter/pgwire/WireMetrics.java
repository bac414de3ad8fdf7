package io.sluice.replicarouter.pgwire;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;

/**
 * The wire listener's meters: clients connected, logins, statements by where they ran, errors by kind, server
 * connections per node. Tags are closed sets or node names from config.
 */
@ApplicationScoped
public class WireMetrics {

    /** Why the listener answered with an error of its own (server errors are relayed, not counted here). */
    enum ErrorKind {
        PROTOCOL, OVERLOADED, UNAVAILABLE, SERVER_LOST;

        String tag() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private final MeterRegistry registry;
    private final AtomicInteger clients = new AtomicInteger();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public WireMetrics(MeterRegistry registry, NodeRegistry nodes, ServerPools pools) {
        this.registry = registry;
        Gauge.builder("sluice.replicarouter.wire.clients", clients, AtomicInteger::get)
                .description("Clients connected to the wire listener").register(registry);
        for (Node node : nodes.all()) {
            Gauge.builder("sluice.replicarouter.wire.server.connections", pools, p -> p.openConnections(node))
                    .description("Server connections of the wire listener, in use and idle").tag("node", node.name())
                    .register(registry);
            Gauge.builder("sluice.replicarouter.wire.server.waiting", pools, p -> p.waiting(node))
                    .description("Wire clients waiting for a server connection").tag("node", node.name())
                    .register(registry);
        }
        for (String outcome : new String[] { "ok", "failed" }) {
            counter("sluice.replicarouter.wire.logins", "Wire client logins, by outcome", "outcome", outcome);
        }
        for (ErrorKind kind : ErrorKind.values()) {
            counter("sluice.replicarouter.wire.errors", "Errors the wire listener answered itself, by kind", "kind",
                    kind.tag());
        }
    }

    void clientConnected() {
        clients.incrementAndGet();
    }

    void clientGone() {
        clients.decrementAndGet();
    }

    void login(boolean ok) {
        counter("sluice.replicarouter.wire.logins", "Wire client logins, by outcome", "outcome", ok ? "ok" : "failed")
                .increment();
    }

    void error(ErrorKind kind) {
        counter("sluice.replicarouter.wire.errors", "Errors the wire listener answered itself, by kind", "kind",
                kind.tag()).increment();
    }

    /**
     * @param target primary or replica
     * @param reason the routing reason, or {@code pinned} for a statement inside a transaction or pinned session
     */
    void statements(String target, String reason, int count) {
        if (count > 0) {
            counters.computeIfAbsent("statements:" + target + ":" + reason, k -> Counter
                    .builder("sluice.replicarouter.wire.statements")
                    .description("Statements from wire clients, by the node role they ran on and why")
                    .tag("target", target).tag("reason", reason).register(registry)).increment(count);
        }
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + ":" + value, k -> Counter.builder(name).description(description)
                .tag(tag, value).register(registry));
    }
}
