package io.sluice.replicarouter.node;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.failover.Topology;
import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.pool.Logins;
import io.sluice.replicarouter.pool.PoolGate;
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
    private volatile boolean splitBrain;
    private final Vertx vertx;
    private final RouterConfig config;

    public NodeRegistry(Vertx vertx, RouterConfig config, Clock clock, Logins logins) {
        this.vertx = vertx;
        this.config = config;
        Login own = logins.defaults();
        int size = config.pool().maxSize();
        Map<String, String> byUrl = new LinkedHashMap<>();
        // By name, so that of two names for one URL the same one is kept on every start and every instance.
        new TreeMap<>(config.nodes()).forEach((name, node) -> {
            String same = byUrl.putIfAbsent(node.url().trim(), name);
            if (same != null) {
                // E.g. SLUICE_PG_REPLICA_URL left to default to the primary's: one node, not a split brain.
                LOG.infof("node %s has the same URL as %s; running it as one node", name, same);
                return;
            }
            nodes.put(name, new Node(name, newLoginPool(name, NodeRole.UNKNOWN, size, own), NodeRole.UNKNOWN,
                    size, NodeState.unknown(clock.instant()), new PoolStats(clock),
                    new CircuitBreaker(config.routing().circuitFailures(), config.routing().circuitOpenFor(),
                            clock)));
        });
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
        List<Node> primaries = primaryClaimants();
        Topology t = topology;
        if (t.primary() != null) {
            return primaries.stream().filter(n -> n.name().equals(t.primary())).findFirst();
        }
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    /**
     * The up nodes that say they are a primary, one per server: a second name for a server already listed (the
     * same server reached as localhost and as 127.0.0.1) is the same node, not a second primary.
     */
    public List<Node> primaryClaimants() {
        List<Node> primaries = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.isUp() && n.role() == NodeRole.PRIMARY && primaries.stream().noneMatch(p -> sameServer(p, n))) {
                primaries.add(n);
            }
        }
        return primaries;
    }

    /** Two different servers claim to be the primary and no failover chose one: writes must go nowhere. */
    public boolean isSplitBrain() {
        return topology.primary() == null && primaryClaimants().size() > 1;
    }

    /** True for a node that is another name of the primary's server. */
    public boolean isAliasOfPrimary(Node node) {
        return primary().filter(p -> p != node && sameServer(p, node)).isPresent();
    }

    /** Logs a split brain when it starts and when it ends, naming the claimants. */
    void reportPrimaryClaims() {
        boolean split = isSplitBrain();
        if (split != splitBrain) {
            splitBrain = split;
            if (split) {
                LOG.errorf("split brain: %s all claim to be the primary (different servers); writes are refused "
                        + "until one is demoted or a failover records the primary",
                        primaryClaimants().stream().map(Node::name).toList());
            } else {
                LOG.infof("split brain over: %s", primary().map(n -> n.name() + " is the primary")
                        .orElse("no primary"));
            }
        }
    }

    private static boolean sameServer(Node a, Node b) {
        return a.server() != null && a.server().equals(b.server());
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

    /** The node's pool for a login, made on first use with the node's current role and size. */
    public LoginPool poolOf(Node node, Login login) {
        return login.isDefault() ? node.defaultPool()
                : node.loginPool(login, l -> newLoginPool(node.name(), node.poolRole(), node.maxSize(), l));
    }

    /** Rebuilds a node's pools when its role changed (e.g. promoted), so their sessions match the new role. */
    void ensurePoolFor(Node node, NodeRole role) {
        if (role != NodeRole.UNKNOWN && node.poolRole() != role) {
            rebuild(node, role, node.maxSize());
            LOG.infof("node %s is now %s; its pools were rebuilt for that role", node.name(), role);
        }
    }

    /** New pools of this size for the node; statements already running finish on the old ones. */
    public void resize(Node node, int size) {
        rebuild(node, node.poolRole(), size);
        LOG.infof("pools of node %s resized to %d", node.name(), size);
    }

    private void rebuild(Node node, NodeRole role, int size) {
        node.setPoolRole(role, size);
        for (LoginPool lp : node.loginPools()) {
            retire(node, lp.replace(createPool(node.name(), role, size, lp.login())));
            lp.gate().resize(size);
        }
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
        return connectOptions(node.name(), node.poolRole(), null);
    }

    /** Options of the router's own connection to the node (probes, failover), named apart in pg_stat_activity. */
    PgConnectOptions controlOptions(Node node) {
        return connectOptions(node.name(), node.poolRole(), null).addProperty("application_name",
                "sluice-replica-router-control");
    }

    private LoginPool newLoginPool(String node, NodeRole role, int size, Login login) {
        return new LoginPool(login, createPool(node, role, size, login),
                new PoolGate(vertx.getDelegate(), size, config.pool().maxWaitQueue(), config.pool().acquireTimeout()));
    }

    private Pool createPool(String node, NodeRole role, int size, Login login) {
        // The login's PoolGate bounds waiting: this pool is never asked for more connections than it has.
        String name = "sluice-" + node + (login.isDefault() ? "" : "-" + login.name());
        PoolOptions pool = new PoolOptions().setName(name).setMaxSize(size);
        return PgPool.pool(vertx, connectOptions(node, role, login), pool);
    }

    /** @param login another database and role than the node's own, or null */
    private PgConnectOptions connectOptions(String name, NodeRole role, Login login) {
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
        if (login != null && !login.isDefault()) {
            connect.setDatabase(login.database()).setUser(login.username()).setPassword(login.password().orElse(null));
        }
        if (role == NodeRole.REPLICA) {
            connect.addProperty("default_transaction_read_only", "on");
        }
        return connect;
    }

    @PreDestroy
    void close() {
        nodes.values().forEach(n -> n.loginPools().forEach(lp -> lp.pool().closeAndAwait()));
    }
}
