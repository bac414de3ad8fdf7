package io.sluice.replicarouter.bulk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.routing.Route;
import io.sluice.replicarouter.routing.RouteHints;
import io.sluice.replicarouter.routing.Router;
import io.sluice.replicarouter.sql.Executed;
import io.sluice.replicarouter.sql.ResultLimits;
import io.sluice.replicarouter.sql.SqlGateway;
import io.sluice.replicarouter.sql.StatementRunner;
import io.sluice.replicarouter.sql.Transactions;
import io.sluice.replicarouter.wire.DbError;
import io.sluice.replicarouter.wire.ParamTypes;
import io.sluice.replicarouter.wire.QueryResult;
import io.sluice.replicarouter.wire.ResultFormat;
import io.sluice.replicarouter.wire.RowEncoder;
import io.sluice.replicarouter.wire.SqlErrorException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Runs a bulk write in chunks, each a prepared batch on a connection of the primary, through the same gateway as
 * single statements (routing, pool accounting, commit LSN, invalidation stream, query-monitor report per chunk).
 * Atomic: every chunk in one transaction. Per chunk: each chunk its own transaction, up to {@code parallelism} at
 * once, failures collected. Before anything runs, the statement is described once so a wrong parameter count or
 * a SQL error is a 4xx with nothing written.
 */
@ApplicationScoped
public class BulkExecutor {

    private static final Logger LOG = Logger.getLogger(BulkExecutor.class);

    private final SqlGateway gateway;
    private final StatementRunner runner;
    private final ParamTypes paramTypes;
    private final Router router;
    private final BulkMetrics metrics;
    private final RouterConfig config;
    private final ResultLimits limits;
    private final NodeRegistry nodes;
    private final AtomicInteger running = new AtomicInteger();

    public BulkExecutor(SqlGateway gateway, StatementRunner runner, ParamTypes paramTypes, Router router,
            BulkMetrics metrics, RouterConfig config, ResultLimits limits, NodeRegistry nodes) {
        this.nodes = nodes;
        this.limits = limits;
        this.gateway = gateway;
        this.runner = runner;
        this.paramTypes = paramTypes;
        this.router = router;
        this.metrics = metrics;
        this.config = config;
    }

    /** Bounds bulk requests running at once, so their connections never crowd out single statements. */
    public <T> Uni<T> gated(Supplier<Uni<T>> work) {
        if (running.incrementAndGet() > config.bulk().maxConcurrentRequests()) {
            running.decrementAndGet();
            metrics.refused();
            return Uni.createFrom().failure(new ProblemException(ReplicaRouterProblem.BULK_BUSY,
                    config.bulk().maxConcurrentRequests() + " bulk requests are already running on this router; "
                            + "retry shortly").withRetryAfter(1, java.util.Map.of()));
        }
        return Uni.createFrom().deferred(work::get).eventually(running::decrementAndGet);
    }

    /** Describes the statement on the node it will run on: SQL errors and a wrong row width fail here. */
    public Uni<Void> preflight(BulkPlan plan, RouteHints hints, Login login) {
        Route route = router.route(plan.readOnly(), plan.statement().classification().hint(), hints, Set.of());
        var st = plan.statement();
        return paramTypes.of(nodes.poolOf(route.node(), login).pool(), login.database(), st.sql(),
                st.classification().command(), true)
                .onFailure(PgException.class).transform(e -> new SqlErrorException(DbError.from((PgException) e)))
                .onFailure(e -> !(e instanceof SqlErrorException) && !(e instanceof ProblemException))
                .transform(e -> unreachable(route, e))
                .invoke(types -> {
                    if (types != null && types.size() != plan.width()) {
                        throw new ProblemException(CommonProblem.VALIDATION_FAILED, "rows: the statement takes "
                                + types.size() + " parameters, but each row has " + plan.width() + " values");
                    }
                })
                .replaceWithVoid();
    }

    public Uni<BulkResponse> write(BulkPlan plan, RouteHints hints, Login login, Duration timeout) {
        return plan.mode() == BulkMode.ATOMIC ? atomic(plan, hints, login, timeout)
                : perChunk(plan, hints, login, timeout);
    }

    private Uni<BulkResponse> atomic(BulkPlan plan, RouteHints hints, Login login, Duration timeout) {
        List<Chunk> chunks = plan.chunks();
        AtomicReference<Chunk> current = new AtomicReference<>();
        SqlGateway.Work<List<Long>> work = (conn, node) -> inTransaction(conn, plan, timeout,
                () -> Multi.createFrom().iterable(chunks)
                        .onItem().transformToUniAndConcatenate(c -> {
                            current.set(c);
                            return runChunk(conn, node, login, plan, c);
                        })
                        .collect().asList());
        return gateway.run(false, plan.statement().classification().hint(), hints, login, tables(plan),
                plan.statement().shape().batched(), work)
                .map(done -> {
                    String lsn = lsn(done);
                    List<ChunkOutcome> committed = new ArrayList<>();
                    for (int i = 0; i < chunks.size(); i++) {
                        committed.add(ChunkOutcome.committed(chunks.get(i), done.response().get(i), lsn));
                        metrics.chunk(BulkMetrics.COMMITTED, chunks.get(i).rows().size());
                    }
                    return response(plan, done.route().node().name(), lsn, committed, List.of());
                })
                .onFailure().invoke(e -> countAtomicFailure(chunks, current.get()))
                .onFailure(SqlErrorException.class).transform(e -> rolledBack(plan, current.get(),
                        ((SqlErrorException) e).error()));
    }

    private Uni<BulkResponse> perChunk(BulkPlan plan, RouteHints hints, Login login, Duration timeout) {
        AtomicReference<Executed<Long>> newest = new AtomicReference<>();
        return Multi.createFrom().iterable(plan.chunks())
                .onItem().transformToUni(c -> gateway.run(false, plan.statement().classification().hint(), hints,
                        login, tables(plan), plan.statement().shape().batched(), (conn, node) -> inTransaction(conn,
                                plan, timeout, () -> runChunk(conn, node, login, plan, c)))
                        .map(done -> {
                            metrics.chunk(BulkMetrics.COMMITTED, c.rows().size());
                            newest.accumulateAndGet(done, BulkExecutor::later);
                            return ChunkOutcome.committed(c, done.response(), lsn(done));
                        })
                        .onFailure().recoverWithItem(e -> failed(c, e)))
                .merge(plan.parallelism())
                .collect().asList()
                .map(outcomes -> {
                    outcomes.sort(Comparator.comparingInt(ChunkOutcome::chunk));
                    Executed<Long> last = newest.get();
                    return response(plan, last == null ? null : last.route().node().name(),
                            last == null ? null : lsn(last), outcomes.stream().filter(ChunkOutcome::ok).toList(),
                            outcomes.stream().filter(o -> !o.ok()).toList());
                });
    }

    /**
     * A bulk read (e.g. many keys to look up): chunks are routed like any read, up to {@code parallelism} at once,
     * and their rows come back in input order as one result. Any failing chunk fails the request.
     */
    public Uni<QueryResult> read(BulkPlan plan, RouteHints hints, Login login, Duration timeout,
            ResultFormat format) {
        var st = plan.statement();
        return Multi.createFrom().iterable(plan.chunks())
                .onItem().transformToUni(c -> gateway.run(true, st.classification().hint(), hints, login,
                        Set.<String>of(), st.shape().batched(),
                        (conn, node) -> Transactions.run(conn, () -> Transactions.setLocalTimeout(conn, timeout),
                                () -> runChunkRows(conn, node, login, plan, c, format)))
                        .invoke(done -> metrics.chunk(BulkMetrics.READ, c.rows().size()))
                        .map(done -> new IndexedResult(c.index(), done.response())))
                .merge(plan.parallelism())
                .collect().asList()
                .map(parts -> {
                    parts.sort(Comparator.comparingInt(IndexedResult::index));
                    return (QueryResult) limits.check(merge(parts));
                });
    }

    private record IndexedResult(int index, QueryResult result) {
    }

    private Uni<QueryResult> runChunkRows(SqlConnection conn, String node, Login login, BulkPlan plan, Chunk c,
            ResultFormat format) {
        long started = System.nanoTime();
        return runner.runBatch(conn, node, login, plan.statement(), c.rows())
                .onItemOrFailure().invoke((rows, e) -> metrics.ran(e == null, System.nanoTime() - started))
                .map(first -> {
                    List<QueryResult> results = new ArrayList<>();
                    for (var r = first; r != null; r = r.next()) {
                        results.add(RowEncoder.encode(r, plan.statement().commandTag(), format));
                    }
                    return merge(results.stream().map(q -> new IndexedResult(0, q)).toList());
                });
    }

    private static QueryResult merge(List<IndexedResult> parts) {
        QueryResult first = parts.get(0).result();
        List<Object> rows = new ArrayList<>();
        parts.forEach(p -> rows.addAll(p.result().rows()));
        return new QueryResult(first.command(), rows.size(), rows, first.fields(), first.rowAsArray());
    }

    /** One chunk as one prepared batch on {@code conn}, timed. */
    private Uni<Long> runChunk(SqlConnection conn, String node, Login login, BulkPlan plan, Chunk c) {
        long started = System.nanoTime();
        return runner.runBatch(conn, node, login, plan.statement(), c.rows())
                .map(StatementRunner::affected)
                .onItemOrFailure().invoke((rows, e) -> {
                    metrics.ran(e == null, System.nanoTime() - started);
                    if (e == null) {
                        LOG.debugf("bulk chunk %d (rows %d-%d) ran on %s in %.1f ms", c.index(), c.firstRow(),
                                c.lastRow(), node, (System.nanoTime() - started) / 1e6);
                    }
                });
    }

    private static <T> Uni<T> inTransaction(SqlConnection conn, BulkPlan plan, Duration timeout,
            Supplier<Uni<T>> body) {
        return Transactions.run(conn,
                () -> conn.query("SET TRANSACTION ISOLATION LEVEL " + plan.isolation()).execute()
                        .chain(() -> Transactions.setLocalTimeout(conn, timeout)),
                body);
    }

    private ChunkOutcome failed(Chunk c, Throwable e) {
        metrics.chunk(BulkMetrics.FAILED, c.rows().size());
        if (e instanceof SqlErrorException s) {
            LOG.infof("bulk chunk %d (rows %d-%d) failed: %s %s", c.index(), c.firstRow(), c.lastRow(),
                    s.error().code(), s.error().message());
            return ChunkOutcome.failed(c, s.error().code(), s.error().message(), s.error().detail());
        }
        String code = e instanceof ProblemException p ? p.type().slug() : "connection";
        LOG.warnf("bulk chunk %d (rows %d-%d) not run: %s", c.index(), c.firstRow(), c.lastRow(), e.getMessage());
        return ChunkOutcome.failed(c, code, e.getMessage(), null);
    }

    private void countAtomicFailure(List<Chunk> chunks, Chunk failedChunk) {
        for (Chunk c : chunks) {
            metrics.chunk(c == failedChunk ? BulkMetrics.FAILED : BulkMetrics.ROLLED_BACK, c.rows().size());
        }
    }

    private ProblemException rolledBack(BulkPlan plan, Chunk failedChunk, DbError error) {
        String where = failedChunk == null ? "before the first chunk"
                : "in chunk " + failedChunk.index() + " (rows " + failedChunk.firstRow() + "-"
                        + failedChunk.lastRow() + ")";
        LOG.infof("atomic bulk of %d rows rolled back: %s %s %s", plan.rows().size(), where, error.code(),
                error.message());
        return new ProblemException(ReplicaRouterProblem.BULK_ROLLED_BACK, "PostgreSQL rejected a row " + where
                + ": " + error.message() + (error.detail() == null ? "" : " (" + error.detail() + ")")
                + "; the transaction was rolled back and no row was written").withCode(error.code());
    }

    private static BulkResponse response(BulkPlan plan, String node, String lsn, List<ChunkOutcome> committed,
            List<ChunkOutcome> failed) {
        long changed = committed.stream().mapToLong(ChunkOutcome::rowCount).sum();
        return new BulkResponse(plan.statement().commandTag(), plan.mode().name().toLowerCase(Locale.ROOT),
                plan.rows().size(), committed.size() + failed.size(), changed, !failed.isEmpty(), node, lsn,
                committed, failed);
    }

    private static String lsn(Executed<?> done) {
        return done.commitLsn().isPresent() ? Lsn.format(done.commitLsn().getAsLong()) : null;
    }

    private static Set<String> tables(BulkPlan plan) {
        return plan.statement().writtenTables();
    }

    private static <T> Executed<T> later(Executed<T> a, Executed<T> b) {
        if (a == null) {
            return b;
        }
        return b.commitLsn().orElse(0) > a.commitLsn().orElse(0) ? b : a;
    }

    private static ProblemException unreachable(Route route, Throwable e) {
        return route.target() == NodeRole.PRIMARY
                ? new ProblemException(ReplicaRouterProblem.PRIMARY_UNAVAILABLE,
                        "The primary (" + route.node() + ") could not be reached: " + e.getMessage(), e)
                : new ProblemException(ReplicaRouterProblem.DATABASE_UNAVAILABLE,
                        "Replica " + route.node() + " could not be reached: " + e.getMessage(), e);
    }
}
