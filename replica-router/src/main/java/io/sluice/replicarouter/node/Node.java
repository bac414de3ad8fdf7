package io.sluice.replicarouter.node;

import java.util.concurrent.atomic.AtomicReference;

import io.sluice.replicarouter.pool.PoolStats;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One PostgreSQL node: its pool, what is known of it, and how many statements it is running now (for the
 * least-outstanding strategy and the pool report). The pool is swapped when the node's role changes, because a
 * replica's pool opens read-only sessions.
 */
public final class Node {

    private final String name;
    private final AtomicReference<Pool> pool;
    private final AtomicReference<NodeState> state;
    private final PoolStats stats;
    private final CircuitBreaker circuit;
    private volatile NodeRole poolRole;
    private volatile int maxSize;

    Node(String name, Pool pool, NodeRole poolRole, int maxSize, NodeState initial, PoolStats stats,
            CircuitBreaker circuit) {
        this.circuit = circuit;
        this.name = name;
        this.pool = new AtomicReference<>(pool);
        this.poolRole = poolRole;
        this.maxSize = maxSize;
        this.state = new AtomicReference<>(initial);
        this.stats = stats;
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

    public Pool pool() {
        return pool.get();
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

    void setState(NodeState next) {
        state.set(next);
    }

    NodeRole poolRole() {
        return poolRole;
    }

    /** @return the pool it replaced, to be closed by the caller */
    Pool replacePool(Pool next, NodeRole role, int size) {
        this.poolRole = role;
        this.maxSize = size;
        return pool.getAndSet(next);
    }

    @Override
    public String toString() {
        return name;
    }
}
