package io.sluice.replicarouter.sql;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.problem.ProblemException;
import io.sluice.common.requestid.RequestIds;
import io.sluice.common.sql.Classification;
import io.sluice.replicarouter.api.ReplicaRouterProblem;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.pool.Lease;
import io.sluice.replicarouter.report.InvalidationPublisher;
import io.sluice.replicarouter.routing.Reason;
import io.sluice.replicarouter.routing.Route;
import io.sluice.replicarouter.routing.RouteHints;
import io.sluice.replicarouter.routing.Router;
import io.sluice.replicarouter.wire.BatchResult;
import io.sluice.replicarouter.wire.ResultFormat;
import io.sluice.replicarouter.wire.SqlErrorException;
import io.sluice.replicarouter.wire.SqlResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Routes and runs statements and batches on a connection taken from the chosen node's pool (so acquire and hold
 * times, waiters and leases are measured). A read that fails on a replica for a connection reason is retried once
 * on the next eligible node; a statement a replica refuses as a write (SQLSTATE 25006) is retried on the primary
 * and counted as misclassified, which is safe because nothing executed. Writes are never retried. A write's result
 * carries the primary's WAL position after commit, for read-your-writes, and its tables go to the invalidation
 * stream.
 */
@ApplicationScoped
public class SqlGateway {

    private static final Logger LOG = Logger.getLogger(SqlGateway.class);
    private static final String READ_ONLY_TRANSACTION = "25006";
    private static final String CURRENT_LSN = "SELECT pg_current_wal_insert_lsn()::text";

    /** Work to run on one connection of a node, given the node's name. */
    public interface Work<T> extends BiFunction<SqlConnection, String, Uni<T>> {
    }

    private final Router router;
    private final StatementRunner runner;
    private final StatementShapes shapes;
    private final RouterMetrics metrics;
    private final ResultLimits limits;
    private final InvalidationPublisher invalidations;

    public SqlGateway(Router router, StatementRunner runner, StatementShapes shapes, RouterMetrics metrics,
            ResultLimits limits, InvalidationPublisher invalidations) {
        this.router = router;
        this.runner = runner;
        this.shapes = shapes;
        this.metrics = metrics;
        this.limits = limits;
        this.invalidations = invalidations;
    }

    public Statement statement(String sql, List<String> params) {
        var shape = shapes.of(sql);
        return new Statement(sql, params, shape.classification(), shape.writtenTables());
    }

    public Uni<Executed<SqlResponse>> single(Statement statement, RouteHints hints, ResultFormat format,
            Optional<Duration> statementTimeout) {
        Classification c = statement.classification();
        Work<SqlResponse> work = (conn, node) -> statementTimeout
                .map(t -> Transactions.run(conn, () -> Transactions.setLocalTimeout(conn, t),
                        () -> runner.run(conn, node, statement, format)))
                .orElseGet(() -> runner.run(conn, node, statement, format))
                .map(r -> c.readOnly() ? limits.check(r) : r);
        return run(c.readOnly(), c.hint(), hints, statement.writtenTables(), work);
    }

    /** A batch is one transaction on one node: the primary, unless the client marked it read-only. */
    public Uni<Executed<SqlResponse>> batch(List<Statement> statements, BatchOptions options, RouteHints hints,
            ResultFormat format, Optional<Duration> statementTimeout) {
        Set<String> tables = new LinkedHashSet<>();
        statements.forEach(st -> tables.addAll(st.writtenTables()));
        Work<SqlResponse> work = (conn, node) -> Transactions.run(conn,
                () -> options.setTransaction().map(sql -> conn.query(sql).execute().replaceWithVoid())
                        .orElse(Uni.createFrom().voidItem())
                        .chain(() -> statementTimeout.map(t -> Transactions.setLocalTimeout(conn, t))
                                .orElse(Uni.createFrom().voidItem())),
                () -> Multi.createFrom().iterable(statements)
                        .onItem().transformToUniAndConcatenate(s -> runner.run(conn, node, s, format))
                        .collect().asList())
                .map(results -> options.readOnly() ? limits.check(new BatchResult(results))
                        : new BatchResult(results));
        return run(options.readOnly(), Optional.empty(), hints, tables, work);
    }

    /**
     * Routes work that reads ({@code readOnly}) or writes {@code tables}, runs it on one connection of the chosen
     * node with the retries above, and publishes the tables of a committed write.
     */
    public <T> Uni<Executed<T>> run(boolean readOnly, Optional<Classification.RouteHint> commentHint,
            RouteHints hints, Set<String> tables, Work<T> work) {
        Route first = router.route(readOnly, commentHint, hints, Set.of());
        return attempt(first, work, !readOnly)
                .onFailure(e -> first.target() == NodeRole.REPLICA && isReplicaUnreachable(e))
                .recoverWithUni(e -> {
                    LOG.warnf("read failed on replica %s (%s); retrying once", first.node(), e.getMessage());
                    return attempt(router.route(readOnly, commentHint, hints, Set.of(first.node())), work, false);
                })
                .onFailure(e -> first.target() == NodeRole.REPLICA && isReadOnlyRefusal(e))
                .recoverWithUni(e -> {
                    metrics.recordMisclassified();
                    LOG.infof("replica %s refused a statement as a write; running it on the primary", first.node());
                    return attempt(router.primary(Reason.RETRY), work, true);
                })
                .call(done -> invalidate(done, tables));
    }

    /** @param write whether the result must carry the commit LSN (a write, or a misclassified one) */
    private <T> Uni<Executed<T>> attempt(Route route, Work<T> work, boolean write) {
        Node node = route.node();
        var stats = node.stats();
        metrics.recordRouted(route.target(), route.reason());
        var timer = metrics.start();
        stats.waiting();
        long waitStarted = System.nanoTime();
        return node.pool().getConnection()
                .onItemOrFailure().invoke((conn, e) -> stats.waited(System.nanoTime() - waitStarted))
                .chain(conn -> {
                    Lease lease = stats.lease(RequestIds.current(), null);
                    boolean needsLsn = write && route.target() == NodeRole.PRIMARY;
                    return work.apply(conn, node.name())
                            .chain(response -> needsLsn
                                    ? commitLsn(conn).map(lsn -> new Executed<>(response, route, lsn))
                                    : Uni.createFrom().item(new Executed<>(response, route, OptionalLong.empty())))
                            .eventually(() -> {
                                stats.release(lease);
                                return conn.close();
                            });
                })
                .onFailure(SqlGateway::isConnectionFailure).invoke(e -> {
                    if (node.circuit().failure()) {
                        metrics.recordCircuitOpened();
                        LOG.warnf("circuit of %s opened after repeated connection failures", node);
                    }
                })
                .invoke(ok -> node.circuit().success())
                .onFailure(SqlGateway::isConnectionFailure).transform(e -> unavailable(route, e))
                .onItemOrFailure().invoke((r, e) -> metrics.stop(timer, e == null));
    }

    /** A committed write tells cache-service which tables changed; a hidden write (in a function) says "*". */
    private Uni<Void> invalidate(Executed<?> done, Set<String> tables) {
        if (done.commitLsn().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> changed = !tables.isEmpty() ? tables
                : done.route().reason() == Reason.RETRY ? Set.of(InvalidationPublisher.ALL_TABLES) : Set.of();
        return changed.isEmpty() ? Uni.createFrom().voidItem()
                : invalidations.publish(changed, done.commitLsn().getAsLong(), done.route().node().name());
    }

    /**
     * Asked on the connection that just committed, before it goes back to the pool: the position is at or past
     * the commit, and a write costs no second pool acquisition (under load that meant queueing for a connection).
     */
    private static Uni<OptionalLong> commitLsn(SqlConnection conn) {
        return conn.query(CURRENT_LSN).execute()
                .map(rows -> OptionalLong.of(Lsn.parse(rows.iterator().next().getString(0))))
                .onFailure().recoverWithItem(OptionalLong.empty());
    }

    private static boolean isReplicaUnreachable(Throwable e) {
        return e instanceof ProblemException p && p.type() == ReplicaRouterProblem.DATABASE_UNAVAILABLE;
    }

    private static boolean isReadOnlyRefusal(Throwable e) {
        return e instanceof SqlErrorException s && READ_ONLY_TRANSACTION.equals(s.error().code());
    }

    /** Not an answer from PostgreSQL and not our own decision: the node could not be reached or dropped us. */
    private static boolean isConnectionFailure(Throwable e) {
        return !(e instanceof SqlErrorException) && !(e instanceof ProblemException);
    }

    private static Throwable unavailable(Route route, Throwable cause) {
        return route.target() == NodeRole.PRIMARY
                ? new ProblemException(ReplicaRouterProblem.PRIMARY_UNAVAILABLE,
                        "The primary (" + route.node() + ") could not run the statement: " + cause.getMessage(), cause)
                : new ProblemException(ReplicaRouterProblem.DATABASE_UNAVAILABLE,
                        "Replica " + route.node() + " could not run the statement: " + cause.getMessage(), cause);
    }
}
