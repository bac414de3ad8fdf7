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
import io.sluice.common.sql.Classification;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.pool.Login;
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
 * Routes and runs one request's statements, as one session on one pooled connection ({@link ConnectionSession}).
 * A single statement runs in its own implicit transaction; a batch is one transaction. Statements that would
 * change the session for later requests are refused ({@link SessionPolicy}). A read that fails on a replica for a
 * connection reason is retried once on the next eligible node; a statement a replica refuses as a write (SQLSTATE
 * 25006) is retried on the primary and counted as misclassified, which is safe because nothing executed. Writes
 * are never retried. A write's result carries the primary's WAL position read after its commit, and its tables go
 * to the invalidation stream. Once started, a request runs to its end even if the client goes away (its statement
 * is cancelled on the server), so its connection always goes back clean and a committed write is always published.
 */
@ApplicationScoped
public class SqlGateway {

    private static final Logger LOG = Logger.getLogger(SqlGateway.class);
    private static final String READ_ONLY_TRANSACTION = "25006";

    /** Work to run on one connection of a node, given the node's name. */
    public interface Work<T> extends BiFunction<SqlConnection, String, Uni<T>> {
    }

    private final Router router;
    private final StatementRunner runner;
    private final StatementShapes shapes;
    private final RouterMetrics metrics;
    private final InvalidationPublisher invalidations;
    private final ConnectionSession sessions;
    private final RouterConfig config;

    public SqlGateway(Router router, StatementRunner runner, StatementShapes shapes, RouterMetrics metrics,
            InvalidationPublisher invalidations, ConnectionSession sessions, RouterConfig config) {
        this.router = router;
        this.runner = runner;
        this.shapes = shapes;
        this.metrics = metrics;
        this.invalidations = invalidations;
        this.sessions = sessions;
        this.config = config;
    }

    public Statement statement(String sql, List<String> params) {
        return new Statement(sql, params, shapes.of(sql));
    }

    public Uni<Executed<SqlResponse>> single(Statement statement, RouteHints hints, Login login, ResultFormat format,
            Optional<Duration> statementTimeout) {
        Classification c = statement.classification();
        // A write's RETURNING rows are limited too; it runs in a transaction so that going over rolls it back.
        boolean explicit = statementTimeout.isPresent() || statement.shape().returnsRows();
        RequestCancellation cancel = new RequestCancellation();
        Work<SqlResponse> work = (conn, node) -> {
            ResultBudget budget = budget(c.readOnly() || statement.shape().returnsRows(), cancel);
            if (!explicit) {
                return runner.run(conn, node, login, statement, format, budget).map(SqlResponse.class::cast);
            }
            return Transactions.run(conn, () -> statementTimeout.map(t -> Transactions.setLocalTimeout(conn, t))
                    .orElse(Uni.createFrom().voidItem()), () -> runner.run(conn, node, login, statement, format,
                            budget))
                    .map(SqlResponse.class::cast);
        };
        return run(c.readOnly(), c.hint(), hints, login, statement.writtenTables(), statement.shape().single(),
                cancel, work);
    }

    /** A batch is one transaction on one node: the primary, unless the client marked it read-only. */
    public Uni<Executed<SqlResponse>> batch(List<Statement> statements, BatchOptions options, RouteHints hints,
            Login login, ResultFormat format, Optional<Duration> statementTimeout) {
        Set<String> tables = new LinkedHashSet<>();
        SessionEffect effect = SessionEffect.NONE;
        for (Statement st : statements) {
            tables.addAll(st.writtenTables());
            effect = effect.and(st.shape().batched());
        }
        RequestCancellation cancel = new RequestCancellation();
        Work<SqlResponse> work = (conn, node) -> {
            ResultBudget budget = budget(true, cancel);
            return Transactions.run(conn,
                    () -> options.setTransaction().map(sql -> conn.query(sql).execute().replaceWithVoid())
                            .orElse(Uni.createFrom().voidItem())
                            .chain(() -> statementTimeout.map(t -> Transactions.setLocalTimeout(conn, t))
                                    .orElse(Uni.createFrom().voidItem())),
                    () -> Multi.createFrom().iterable(statements)
                            .onItem().transformToUniAndConcatenate(s -> runner.run(conn, node, login, s, format,
                                    budget))
                            .collect().asList())
                    .map(BatchResult::new);
        };
        return run(options.readOnly(), Optional.empty(), hints, login, tables, effect, cancel, work);
    }

    /**
     * Routes work that reads ({@code readOnly}) or writes {@code tables} and whose statements have {@code effect}
     * on their session, runs it on one connection of the chosen node with the retries above, and publishes the
     * tables of a committed write.
     */
    public <T> Uni<Executed<T>> run(boolean readOnly, Optional<Classification.RouteHint> commentHint,
            RouteHints hints, Login login, Set<String> tables, SessionEffect effect, Work<T> work) {
        return run(readOnly, commentHint, hints, login, tables, effect, new RequestCancellation(), work);
    }

    private <T> Uni<Executed<T>> run(boolean readOnly, Optional<Classification.RouteHint> commentHint,
            RouteHints hints, Login login, Set<String> tables, SessionEffect effect, RequestCancellation cancel,
            Work<T> work) {
        if (effect.refused()) {
            metrics.recordSessionRefused();
            return Uni.createFrom().failure(new ProblemException(ReplicaRouterProblem.SESSION_STATE, effect.what()
                    + " would outlive this request and reach other clients of the pooled connection; "
                    + effect.instead() + "."));
        }
        Uni<Executed<T>> routed = Uni.createFrom().deferred(() -> {
            Route first = router.route(readOnly, commentHint, hints, Set.of());
            return attempt(first, login, work, !readOnly, effect, cancel)
                    .onFailure(e -> first.target() == NodeRole.REPLICA && isReplicaUnreachable(e)
                            && !cancel.requested())
                    .recoverWithUni(e -> {
                        LOG.warnf("read failed on replica %s (%s); retrying once", first.node(), e.getMessage());
                        return attempt(router.route(readOnly, commentHint, hints, Set.of(first.node())), login, work,
                                false, effect, cancel);
                    })
                    .onFailure(e -> first.target() == NodeRole.REPLICA && isReadOnlyRefusal(e))
                    .recoverWithUni(e -> {
                        metrics.recordMisclassified();
                        LOG.infof("replica %s refused a statement as a write; running it on the primary",
                                first.node());
                        return attempt(router.primary(Reason.RETRY), login, work, true, effect, cancel);
                    })
                    .call(done -> invalidate(done, tables));
        });
        return Shield.run(routed, () -> {
            metrics.recordClientCancel();
            cancel.request("the client went away");
        });
    }

    /** The rows and bytes a request may return; exceeding them cancels its statement. */
    private ResultBudget budget(boolean limited, RequestCancellation cancel) {
        return limited ? new ResultBudget(config.limits().maxRows(), config.limits().maxResponseBytes(),
                () -> cancel.request("the result is larger than the limits")) : ResultBudget.unlimited();
    }

    /** @param write whether the result must carry the commit LSN (a write, or a misclassified one) */
    private <T> Uni<Executed<T>> attempt(Route route, Login login, Work<T> work, boolean write,
            SessionEffect effect, RequestCancellation cancel) {
        Node node = route.node();
        metrics.recordRouted(route.target(), route.reason());
        var timer = metrics.start();
        boolean readLsn = write && route.target() == NodeRole.PRIMARY;
        return sessions.run(node, login, effect, readLsn, cancel, work)
                .map(held -> new Executed<>(held.result(), route, held.lsn()))
                .onFailure(e -> isConnectionFailure(e) && !cancel.requested()).invoke(e -> {
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
