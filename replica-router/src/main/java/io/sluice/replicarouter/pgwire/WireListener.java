package io.sluice.replicarouter.pgwire;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.pool.Logins;
import io.sluice.replicarouter.report.InvalidationPublisher;
import io.sluice.replicarouter.routing.Router;
import io.sluice.replicarouter.sql.StatementShapes;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The PostgreSQL wire-protocol listener ({@code replica-router.wire.*}, off by default): a Vert.x TCP server on the
 * event loops whose clients ({@link ClientSession}) get the router's routing, node verdicts, read-your-writes and
 * overload bounds without changing their driver. Started at application start when enabled.
 */
@ApplicationScoped
public class WireListener {

    private static final Logger LOG = Logger.getLogger(WireListener.class);

    private final RouterConfig config;
    private final Vertx vertx;
    private final Instance<Router> router;
    private final Instance<StatementShapes> shapes;
    private final Instance<ServerPools> pools;
    private final Instance<WireMetrics> metrics;
    private final Instance<InvalidationPublisher> invalidations;
    private final NodeRegistry nodes;
    private final Logins logins;
    private final Map<String, ScramServer.Credential> credentials = new ConcurrentHashMap<>();
    private final Map<Integer, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger pids = new AtomicInteger(new SecureRandom().nextInt(1 << 20));
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, StatementIntent> intents = Caffeine.newBuilder().maximumSize(10_000).build();
    private volatile NetServer server;

    public WireListener(RouterConfig config, io.vertx.mutiny.core.Vertx vertx, Instance<Router> router,
            Instance<StatementShapes> shapes, Instance<ServerPools> pools, Instance<WireMetrics> metrics,
            Instance<InvalidationPublisher> invalidations, NodeRegistry nodes, Logins logins) {
        this.config = config;
        this.vertx = vertx.getDelegate();
        this.router = router;
        this.shapes = shapes;
        this.pools = pools;
        this.metrics = metrics;
        this.invalidations = invalidations;
        this.nodes = nodes;
        this.logins = logins;
    }

    void start(@Observes StartupEvent event) throws Exception {
        RouterConfig.Wire wire = config.wire();
        if (!wire.enabled()) {
            return;
        }
        if (wire.users().isEmpty()) {
            LOG.warn("replica-router.wire.enabled is set but replica-router.wire.users is empty: nobody can log in");
        }
        wire.users().forEach((user, password) -> credentials.put(user, ScramServer.Credential.of(password)));
        metrics.get();
        NetServer s = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setTcpKeepAlive(true));
        s.connectHandler(socket -> {
            long id = ids.incrementAndGet();
            int pid = pids.incrementAndGet() & Integer.MAX_VALUE;
            ClientSession session = new ClientSession(this, socket, Vertx.currentContext(), id, pid, random.nextInt());
            sessions.put(pid, session);
            metrics().clientConnected();
            LOG.debugf("wire client %d connected from %s", id, socket.remoteAddress());
            session.start();
        });
        server = s.listen(wire.port(), wire.host()).toCompletionStage().toCompletableFuture().get(30,
                TimeUnit.SECONDS);
        LOG.infof("wire listener on %s:%d (PostgreSQL protocol 3.0, SCRAM-SHA-256, %d users)", wire.host(),
                server.actualPort(), credentials.size());
    }

    void stop(@Observes ShutdownEvent event) {
        NetServer s = server;
        if (s != null) {
            s.close();
        }
    }

    /** The port the listener is bound to (the configured one, or the one picked for port 0), or -1 when off. */
    public int port() {
        NetServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    /** A CancelRequest: cancels the statement the client with this key runs now, if any, on its server. */
    void cancel(int pid, int secret) {
        ClientSession session = sessions.get(pid);
        if (session == null || session.secret() != secret) {
            return;
        }
        ServerConnection conn = session.running();
        if (conn != null) {
            cancel(conn);
        }
    }

    /** Sends a CancelRequest for whatever the server connection runs, on a connection of its own. */
    void cancel(ServerConnection conn) {
        PgConnectOptions target = nodes.connectOptions(conn.node());
        pools().client().connect(target.getPort(), target.getHost()).onSuccess(socket -> socket
                .write(Messages.cancelRequest(conn.pid(), conn.secret())).onComplete(w -> socket.close()));
    }

    void forget(ClientSession session) {
        if (sessions.remove(session.pid(), session)) {
            metrics().clientGone();
        }
    }

    ScramServer.Credential credential(String user) {
        ScramServer.Credential c = credentials.get(user);
        return c != null ? c : ScramServer.Credential.unmatchable();
    }

    /** The one database clients may ask for: the router's own (the node URLs' database). */
    String database() {
        return logins.defaults().database();
    }

    long maxMessageSize() {
        return config.wire().maxMessageSize().asLongValue();
    }

    Duration loginTimeout() {
        return config.wire().loginTimeout();
    }

    Vertx vertx() {
        return vertx;
    }

    Router router() {
        return router.get();
    }

    /** What a SQL text asks of the listener, worked out once per distinct text (bounded, like the shapes). */
    StatementIntent intentOf(String sql) {
        return intents.get(sql, text -> StatementIntent.of(text, shapes.get().of(text)));
    }

    /** The tables a write names, for the invalidation stream (cached with the statement's shape). */
    java.util.Set<String> tablesWrittenBy(String sql) {
        return shapes.get().of(sql).writtenTables();
    }

    InvalidationPublisher invalidations() {
        return invalidations.get();
    }

    ServerPools pools() {
        return pools.get();
    }

    WireMetrics metrics() {
        return metrics.get();
    }

    NodeRegistry nodes() {
        return nodes;
    }
}
