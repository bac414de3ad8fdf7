package io.sluice.replicarouter.node;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.pool.PoolStats;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One PostgreSQL node: its pools (one per login, the router's own first), what is known of it, and how many
 * statements it is running now (for the least-outstanding strategy and the pool report). Pools are rebuilt when the
 * node's role changes, because a replica's pools open read-only sessions.
 */
public final class Node {

    private final String name;
    private final LoginPool defaults;
    private final Map<String, LoginPool> logins = new ConcurrentHashMap<>();
    private final AtomicReference<NodeState> state;
    private final PoolStats stats;
    private final CircuitBreaker circuit;
    private volatile NodeRole poolRole;
    private volatile int maxSize;
    private volatile String server;

    Node(String name, LoginPool defaults, NodeRole poolRole, int maxSize, NodeState initial, PoolStats stats,
            CircuitBreaker circuit) {
        this.name = name;
        this.defaults = defaults;
        this.logins.put(Login.DEFAULT, defaults);
        this.poolRole = poolRole;
        this.maxSize = maxSize;
        this.state = new AtomicReference<>(initial);
        this.stats = stats;
        this.circuit = circuit;
    }

    public CircuitBreaker circuit() {
        return circuit;
    }

    public PoolStats stats() {
        return stats;
    }

    public int maxSize() {
        return maxSize;
    }

    public String name() {
        return name;
    }

    /** The pool of the router's own login. */
    public Pool pool() {
        return defaults.pool();
    }

    /** The router's own login's pool and gate. */
    public LoginPool defaultPool() {
        return defaults;
    }

    public NodeState state() {
        return state.get();
    }

    public boolean isUp() {
        return state().up();
    }

    public NodeRole role() {
        return state().role();
    }

    /** Statements waiting for or holding one of this node's connections. */
    public int outstanding() {
        return stats.waitingNow() + stats.inUse();
    }

    /** Which server the node's URL reached at the last probe that answered, or null before any. */
    public String server() {
        return server;
    }

    void setServer(String server) {
        this.server = server;
    }

    void setState(NodeState next) {
        state.set(next);
    }

    /** The role the node's pools were built for (replica pools open read-only sessions). */
    public NodeRole poolRole() {
        return poolRole;
    }

    void setPoolRole(NodeRole role, int size) {
        this.poolRole = role;
        this.maxSize = size;
    }

    Collection<LoginPool> loginPools() {
        return logins.values();
    }

    LoginPool loginPool(Login login, java.util.function.Function<Login, LoginPool> create) {
        return logins.computeIfAbsent(login.name(), n -> create.apply(login));
    }

    @Override
    public String toString() {
        return name;
    }
}
