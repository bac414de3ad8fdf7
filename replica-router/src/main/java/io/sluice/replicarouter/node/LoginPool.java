package io.sluice.replicarouter.node;

import java.util.concurrent.atomic.AtomicReference;

import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.pool.PoolGate;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One login's pool on one node, and the gate that admits requests to it. The pool is swapped when the node's role
 * changes (replica pools open read-only sessions) or its size does; the gate stays.
 */
public final class LoginPool {

    private final Login login;
    private final AtomicReference<Pool> pool;
    private final PoolGate gate;

    LoginPool(Login login, Pool pool, PoolGate gate) {
        this.login = login;
        this.pool = new AtomicReference<>(pool);
        this.gate = gate;
    }

    public Login login() {
        return login;
    }

    public Pool pool() {
        return pool.get();
    }

    public PoolGate gate() {
        return gate;
    }

    /** @return the pool it replaced, to be closed by the caller */
    Pool replace(Pool next) {
        return pool.getAndSet(next);
    }
}
