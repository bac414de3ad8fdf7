package io.sluice.replicarouter.sql;

import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.problem.ProblemException;
import io.sluice.common.requestid.RequestIds;
import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.replicarouter.node.LoginPool;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.pool.Lease;
import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.pool.PoolGate;
import io.sluice.replicarouter.wire.SqlErrorException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One request's use of one pooled connection, as one database session. Taking the connection is bounded (the
 * node's {@link PoolGate}: its wait queue and acquire timeout): a full pool is overload, answered at once with a 503
 * and Retry-After, never mistaken for a node failure. Whatever the work does or however it ends, the connection goes back clean:
 * after a statement that may have left session state it is reset, in the same round trip as a write's WAL
 * position; when the reset fails the backend is ended so the pool drops it. A cancelled request's connection is
 * released only after the cancel has reached the server.
 */
@ApplicationScoped
public class ConnectionSession {

    private static final Logger LOG = Logger.getLogger(ConnectionSession.class);

    /** The work's result and, when a write's was asked for, the WAL position read after it committed. */
    public record Held<T>(T result, OptionalLong lsn) {
    }

    private final RouterMetrics metrics;
    private final NodeRegistry registry;
    private final boolean alwaysReset;

    public ConnectionSession(RouterMetrics metrics, NodeRegistry registry, RouterConfig config) {
        this.metrics = metrics;
        this.registry = registry;
        this.alwaysReset = config.session().reset() == RouterConfig.Session.Reset.ALWAYS;
    }

    /**
     * @param effect what the work's statements may leave on the connection
     * @param readLsn read the WAL position after the work (a write on the primary)
     */
    public <T> Uni<Held<T>> run(Node node, Login login, SessionEffect effect, boolean readLsn,
            RequestCancellation cancel, SqlGateway.Work<T> work) {
        var stats = node.stats();
        stats.waiting();
        long waitStarted = System.nanoTime();
        LoginPool pool = registry.poolOf(node, login);
        PoolGate gate = pool.gate();
        return gate.acquire()
                .onItemOrFailure().invoke((ok, e) -> stats.waited(System.nanoTime() - waitStarted))
                .onFailure(PoolGate.Refused.class).transform(e -> overloaded(node, ((PoolGate.Refused) e).reason()))
                .chain(() -> pool.pool().getConnection().onFailure().invoke(gate::release))
                .chain(conn -> {
                    Lease lease = stats.lease(RequestIds.current(), null);
                    boolean standby = node.poolRole() == NodeRole.REPLICA;
                    return Uni.createFrom().deferred(() -> use(conn, node, effect, readLsn, standby, cancel, work))
                            .eventually(() -> {
                                stats.release(lease);
                                return conn.close().eventually(gate::release);
                            });
                });
    }

    private <T> Uni<Held<T>> use(SqlConnection conn, Node node, SessionEffect effect, boolean readLsn,
            boolean standby, RequestCancellation cancel, SqlGateway.Work<T> work) {
        if (cancel.requested()) {
            return Uni.createFrom().failure(new ProblemException(ReplicaRouterProblem.DATABASE_UNAVAILABLE,
                    "The request was cancelled before it ran"));
        }
        cancel.attach(conn);
        return work.apply(conn, node.name())
                .onItemOrFailure().transformToUni((result, failure) -> cancel.detach()
                        .chain(() -> finish(conn, node, effect, readLsn && failure == null, standby, cancel, failure))
                        .map(lsn -> {
                            if (failure != null) {
                                throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                            }
                            return new Held<>(result, lsn);
                        }));
    }

    /** Reads the LSN and resets the session as needed, in one round trip; never fails. */
    private Uni<OptionalLong> finish(SqlConnection conn, Node node, SessionEffect effect, boolean readLsn,
            boolean standby, RequestCancellation cancel, Throwable failure) {
        boolean unsure = cancel.sent() || (failure != null && !(failure instanceof SqlErrorException)
                && !(failure instanceof ProblemException));
        boolean reset = alwaysReset || effect.needsReset() || unsure;
        String epilogue = SessionReset.epilogue(readLsn, reset, unsure, standby);
        if (epilogue == null) {
            return Uni.createFrom().item(OptionalLong.empty());
        }
        return conn.query(epilogue).execute()
                .invoke(rows -> {
                    if (reset) {
                        metrics.recordSessionReset(true);
                    }
                })
                .map(rows -> readLsn ? lsnOf(rows) : OptionalLong.empty())
                .onFailure().recoverWithUni(e -> {
                    if (!reset) {
                        // Only the WAL position was asked for: the write committed, it is answered without it.
                        return Uni.createFrom().item(OptionalLong.empty());
                    }
                    metrics.recordSessionReset(false);
                    LOG.warnf("session of a connection to %s could not be reset (%s); ending that backend",
                            node.name(), e.getMessage());
                    return conn.query(SessionReset.TERMINATE).execute().replaceWith(OptionalLong.empty())
                            .onFailure().recoverWithItem(OptionalLong.empty());
                });
    }

    private static OptionalLong lsnOf(RowSet<Row> rows) {
        String lsn = rows.iterator().next().getString(0);
        return lsn == null ? OptionalLong.empty() : OptionalLong.of(Lsn.parse(lsn));
    }

    private ProblemException overloaded(Node node, PoolGate.Refusal reason) {
        boolean queueFull = reason == PoolGate.Refusal.QUEUE_FULL;
        metrics.recordOverloaded(queueFull ? "queue-full" : "wait-timeout");
        String why = queueFull ? "every connection to " + node.name() + " is busy and its wait queue is full"
                : "no connection to " + node.name() + " came free within the acquire timeout";
        return new ProblemException(ReplicaRouterProblem.OVERLOADED, "The router is at capacity: " + why
                + ". Retry after a second.").withRetryAfter(1, java.util.Map.of());
    }
}
