package io.sluice.replicarouter.pgwire;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.pool.Logins;
import io.sluice.replicarouter.pool.PoolGate;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The wire listener's server connections: per node, at most {@code wire.pool-size} of them, admitted by the same
 * kind of {@link PoolGate} as the /sql pools (bounded wait queue, acquire timeout, then a fast refusal). Idle
 * connections are kept per session-parameter set; a client whose set matches no idle connection gets a new one,
 * and when the node is at its size an idle connection of another set is closed to make room.
 */
@ApplicationScoped
public class ServerPools {

    private final Map<String, NodePool> pools = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final NodeRegistry registry;
    private final RouterConfig config;
    private final Logins logins;
    private volatile NetClient client;

    public ServerPools(io.vertx.mutiny.core.Vertx vertx, NodeRegistry registry, RouterConfig config, Logins logins) {
        this.vertx = vertx.getDelegate();
        this.registry = registry;
        this.config = config;
        this.logins = logins;
    }

    /** One node's connections. */
    final class NodePool {
        private final Node node;
        private final PoolGate gate;
        private final Deque<ServerConnection> idle = new ArrayDeque<>();
        private final AtomicInteger open = new AtomicInteger();

        NodePool(Node node) {
            this.node = node;
            this.gate = new PoolGate(vertx, config.wire().poolSize(), config.pool().maxWaitQueue(),
                    config.pool().acquireTimeout());
        }

        int open() {
            return open.get();
        }

        int waiting() {
            return gate.waiting();
        }
    }

    NodePool of(Node node) {
        return pools.computeIfAbsent(node.name(), n -> new NodePool(node));
    }

    /**
     * A connection to the node with these session parameters: idle, or new. Fails with {@link PoolGate.Refused}
     * when the node's connections stay busy longer than the acquire timeout (or too many wait), and with the
     * connect failure when the node cannot be reached; the permit is then given back.
     */
    Uni<ServerConnection> acquire(Node node, Map<String, String> key) {
        NodePool pool = of(node);
        return pool.gate.acquire().chain(() -> Uni.createFrom().completionStage(() -> take(pool, key)
                .toCompletionStage()).onFailure().invoke(e -> pool.gate.release()));
    }

    private Future<ServerConnection> take(NodePool pool, Map<String, String> key) {
        NodeRole role = pool.node.poolRole();
        ServerConnection evict = null;
        synchronized (pool) {
            for (Iterator<ServerConnection> it = pool.idle.iterator(); it.hasNext();) {
                ServerConnection c = it.next();
                if (c.isClosed() || c.role() != role) {
                    it.remove();
                    pool.open.decrementAndGet();
                    c.close();
                } else if (c.key().equals(key)) {
                    it.remove();
                    return Future.succeededFuture(c);
                }
            }
            if (pool.open.get() >= config.wire().poolSize() && !pool.idle.isEmpty()) {
                evict = pool.idle.pollLast();
                pool.open.decrementAndGet();
            }
            pool.open.incrementAndGet();
        }
        if (evict != null) {
            evict.close();
        }
        PgConnectOptions target = registry.connectOptions(pool.node);
        var login = logins.defaults();
        Map<String, String> fixed = new LinkedHashMap<>();
        if (!key.containsKey("statement_timeout")) {
            // The router's default, as on /sql; a client that set its own keeps it.
            fixed.put("statement_timeout", Long.toString(config.limits().statementTimeout().toMillis()));
        }
        if (role == NodeRole.REPLICA) {
            fixed.put("default_transaction_read_only", "on");
        }
        return ServerConnection.open(client(), pool.node, role, target.getHost(), target.getPort(),
                login.username(), login.password().orElse(""), login.database(), key, fixed)
                .onFailure(e -> pool.open.decrementAndGet());
    }

    /** Gives a connection back: kept idle when {@code keep} and still usable, else closed. */
    void release(ServerConnection conn, boolean keep) {
        NodePool pool = of(conn.node());
        conn.unlend();
        boolean kept = false;
        synchronized (pool) {
            if (keep && !conn.isClosed() && conn.role() == pool.node.poolRole()) {
                pool.idle.addFirst(conn);
                kept = true;
            } else {
                pool.open.decrementAndGet();
            }
        }
        if (!kept) {
            conn.close();
        }
        pool.gate.release();
    }

    /** Open server connections of a node (in use and idle), for the metrics. */
    int openConnections(Node node) {
        return of(node).open();
    }

    int waiting(Node node) {
        return of(node).waiting();
    }

    /** Opens a connection outside the pool, e.g. to deliver a CancelRequest. */
    NetClient client() {
        NetClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createNetClient(new NetClientOptions()
                            .setConnectTimeout((int) config.pool().connectTimeout().toMillis())
                            .setTcpNoDelay(true).setTcpKeepAlive(true));
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        pools.values().forEach(p -> {
            synchronized (p) {
                p.idle.forEach(ServerConnection::close);
                p.idle.clear();
            }
        });
        if (client != null) {
            client.close();
        }
    }
}
