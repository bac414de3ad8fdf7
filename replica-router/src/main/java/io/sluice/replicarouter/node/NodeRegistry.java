package io.sluice.replicarouter.node;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.failover.Topology;
import io.sluice.replicarouter.pool.PoolStats;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The configured nodes and their pools, one reactive pool per node. A node's pool is built for the role it is
 * believed to have: replica pools open sessions with default_transaction_read_only, so nothing sent to a replica
 * can write even if the node was promoted behind our back.
 */
@Singleton
public class NodeRegistry {

    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private volatile Topology topology = Topology.NONE;
    private final Vertx vertx;
    private final RouterConfig config;

    public NodeRegistry(Vertx vertx, RouterConfig config, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        int size = config.pool().maxSize();
        config.nodes().forEach((name, node) ->
                nodes.put(name, new Node(name, createPool(name, NodeRole.UNKNOWN, size), NodeRole.UNKNOWN, size,
                        NodeState.unknown(clock.instant()), new PoolStats(clock),
                        new CircuitBreaker(config.routing().circuitFailures(), config.routing().circuitOpenFor(),
                                clock))));
        LOG.infof("replica-router nodes: %s", nodes.keySet());
    }

    public Collection<Node> all() {
        return nodes.values();
    }

    public Optional<Node> byName(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /**
     * The node writes go to: up and not in recovery, and, once a failover has been recorded, the node it chose.
     * A node that claims to be primary against the recorded topology is stale (an old primary restarted without
     * being rebuilt) and gets nothing; with no topology, two claimants (split brain) mean no primary at all.
     */
    public Optional<Node> primary() {
        List<Node> primaries = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.isUp() && n.role() == NodeRole.PRIMARY) {
                primaries.add(n);
            }
        }
        Topology t = topology;
        if (t.primary() != null) {
            return primaries.stream().filter(n -> n.name().equals(t.primary())).findFirst();
        }
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    /** True for a node that says it is a primary while the recorded failover chose another. */
    public boolean isStalePrimary(Node node) {
        Topology t = topology;
        return node.role() == NodeRole.PRIMARY && t.primary() != null && !t.primary().equals(node.name());
    }

    public Topology topology() {
        return topology;
    }

    /** Adopts a topology from Redis or from a failover here, never one older than what we have. */
    public void adopt(Topology next) {
        if (next.epoch() > topology.epoch()) {
            LOG.infof("topology epoch %d: %s is the primary", next.epoch(), next.primary());
            topology = next;
        }
    }

    public List<Node> replicas() {
        return nodes.values().stream().filter(n -> n.role() == NodeRole.REPLICA).toList();
    }

    /** Rebuilds a node's pool when its role changed (e.g. promoted), so its sessions match the new role. */
    void ensurePoolFor(Node node, NodeRole role) {
        if (role != NodeRole.UNKNOWN && node.poolRole() != role) {
            retire(node, node.replacePool(createPool(node.name(), role, node.maxSize()), role, node.maxSize()));
            LOG.infof("node %s is now %s; its pool was rebuilt for that role", node.name(), role);
        }
    }

    /** A new pool of this size for the node; statements already running finish on the old one. */
    public void resize(Node node, int size) {
        retire(node, node.replacePool(createPool(node.name(), node.poolRole(), size), node.poolRole(), size));
        LOG.infof("pool of node %s resized to %d", node.name(), size);
    }

    /** Closes a replaced pool once no statement can still be running on it (the longest statement timeout). */
    private void retire(Node node, Pool old) {
        vertx.setTimer(config.limits().maxStatementTimeout().toMillis() + 1000, id -> old.close().subscribe().with(
                ok -> LOG.debugf("closed a retired pool of %s", node.name()),
                e -> LOG.debugf("closing a retired pool of %s: %s", node.name(), e.getMessage())));
    }

    /** After a promotion: the node is a primary now, and its pool opens writable sessions at once. */
    public void markPromoted(Node node) {
        var s = node.state();
        node.setState(new NodeState(true, NodeRole.PRIMARY, s.lsn(), 0, s.since(), null));
        ensurePoolFor(node, NodeRole.PRIMARY);
    }

    /** Options to open a fresh connection to the node, e.g. to time connection creation. */
    public PgConnectOptions connectOptions(Node node) {
        return connectOptions(node.name(), node.poolRole());
    }

    private Pool createPool(String name, NodeRole role, int size) {
        PoolOptions pool = new PoolOptions().setName("sluice-" + name).setMaxSize(size)
                .setMaxWaitQueueSize(config.pool().maxWaitQueue());
        return PgPool.pool(vertx, connectOptions(name, role), pool);
    }

    private PgConnectOptions connectOptions(String name, NodeRole role) {
        RouterConfig.NodeConfig nodeConfig = config.nodes().get(name);
        PgConnectOptions connect = PgConnectOptions.fromUri(nodeConfig.url())
                .setUser(nodeConfig.username())
                .setConnectTimeout((int) config.pool().connectTimeout().toMillis())
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(512)
                .addProperty("application_name", "sluice-replica-router")
                .addProperty("TimeZone", "UTC")
                .addProperty("statement_timeout", Long.toString(config.limits().statementTimeout().toMillis()));
        nodeConfig.password().ifPresent(connect::setPassword);
        if (role == NodeRole.REPLICA) {
            connect.addProperty("default_transaction_read_only", "on");
        }
        return connect;
    }

    @PreDestroy
    void close() {
        nodes.values().forEach(n -> n.pool().closeAndAwait());
    }
}
