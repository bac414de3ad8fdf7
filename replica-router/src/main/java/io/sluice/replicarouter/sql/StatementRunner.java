package io.sluice.replicarouter.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collector;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.requestid.RequestIds;
import io.sluice.common.tracing.Traceparents;
import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.report.Fingerprints;
import io.sluice.replicarouter.report.QueryReporter;
import io.sluice.replicarouter.report.StatementSample;
import io.sluice.replicarouter.wire.DbError;
import io.sluice.replicarouter.wire.ParamTypes;
import io.sluice.replicarouter.wire.QueryResult;
import io.sluice.replicarouter.wire.ResultFormat;
import io.sluice.replicarouter.wire.RowEncoder;
import io.sluice.replicarouter.wire.SqlErrorException;
import io.sluice.replicarouter.wire.TextParamDecoder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Runs one statement on a pool or connection: learns its parameter types, binds the text parameters as those
 * types (values always travel as bind parameters), executes, and shapes the result. PostgreSQL errors become
 * {@link SqlErrorException}.
 */
@ApplicationScoped
public class StatementRunner {

    private final ParamTypes paramTypes;
    private final QueryReporter reporter;
    private final Fingerprints fingerprints;

    public StatementRunner(ParamTypes paramTypes, QueryReporter reporter, Fingerprints fingerprints) {
        this.paramTypes = paramTypes;
        this.reporter = reporter;
        this.fingerprints = fingerprints;
    }

    /**
     * @param node the node's name, for the report to query-monitor
     * @param login the login whose database the statement runs in (parameter types are learned per database)
     * @param budget the rows and bytes the request may still return: spent as rows arrive, never all held first
     */
    public Uni<QueryResult> run(SqlClient client, String node, Login login, Statement statement,
            ResultFormat format, ResultBudget budget) {
        long started = System.nanoTime();
        Uni<List<String>> types = statement.params().isEmpty() ? Uni.createFrom().item(List.of())
                : paramTypes.of(client, login.database(), statement.sql(), statement.classification().command(),
                        statement.isSingle());
        return types.map(t -> bind(statement.params(), t))
                .chain(tuple -> UniHelper.toUni(client.getDelegate().preparedQuery(statement.sql())
                        .collecting(rowsWithin(budget)).execute(tuple.getDelegate())))
                .map(result -> RowEncoder.encode(result.columnDescriptors(), result.value(), result.rowCount(),
                        statement.commandTag(), format))
                .onFailure().transform(budget::explain)
                .onFailure(PgException.class).transform(e -> new SqlErrorException(DbError.from((PgException) e)))
                .onItemOrFailure().invoke((result, failure) -> report(statement, node, started,
                        result == null || result.rowCount() == null ? null : result.rowCount().longValue(), failure));
    }

    /** Copies each row's values as it is decoded (the client reuses the row object), within the budget. */
    private static Collector<io.vertx.sqlclient.Row, ?, List<Object[]>> rowsWithin(ResultBudget budget) {
        return Collector.of(ArrayList::new, (List<Object[]> rows, io.vertx.sqlclient.Row row) -> {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getValue(i);
            }
            budget.spend(values);
            rows.add(values);
        }, (a, b) -> {
            a.addAll(b);
            return a;
        });
    }

    /**
     * Runs one statement once per parameter row as one prepared batch (a single round of Bind/Execute messages).
     * A value that does not fit its parameter's type fails the batch like PostgreSQL would (22P02). The whole batch
     * is one report to query-monitor, with the rows of every execution.
     *
     * @return one result per parameter row, chained through {@link RowSet#next()}
     */
    public Uni<RowSet<Row>> runBatch(SqlClient client, String node, Login login, Statement statement,
            List<List<String>> paramRows) {
        long started = System.nanoTime();
        Uni<List<String>> types = paramRows.get(0).isEmpty() ? Uni.createFrom().item(List.of())
                : paramTypes.of(client, login.database(), statement.sql(), statement.classification().command(),
                        statement.isSingle());
        return types.map(t -> paramRows.stream().map(params -> bind(params, t)).toList())
                .chain(tuples -> client.preparedQuery(statement.sql()).executeBatch(tuples))
                .onFailure(PgException.class).transform(e -> new SqlErrorException(DbError.from((PgException) e)))
                .onItemOrFailure().invoke((rows, failure) -> report(statement, node, started,
                        rows == null ? null : affected(rows), failure));
    }

    /** Rows returned or changed over every result of a batch. */
    public static long affected(RowSet<Row> first) {
        long total = 0;
        for (RowSet<Row> r = first; r != null; r = r.next()) {
            total += r.rowCount();
        }
        return total;
    }

    private void report(Statement statement, String node, long started, Long rows, Throwable failure) {
        if (!reporter.enabled()) {
            return;
        }
        var fingerprint = fingerprints.of(statement.sql());
        String error = failure == null ? null
                : failure instanceof SqlErrorException s ? s.error().code() : "connection";
        reporter.offer(new StatementSample(fingerprint.normalized(), fingerprint.id(), null, node,
                (System.nanoTime() - started) / 1e6, rows, error, RequestIds.current(), Traceparents.current()));
    }

    private static Tuple bind(List<String> params, List<String> types) {
        if (types != null && types.size() != params.size()) {
            throw new SqlErrorException(DbError.of("08P01", "bind message supplies " + params.size()
                    + " parameters, but prepared statement \"\" requires " + types.size()));
        }
        Tuple tuple = Tuple.tuple();
        for (int i = 0; i < params.size(); i++) {
            tuple.addValue(types == null ? params.get(i) : TextParamDecoder.decode(params.get(i), types.get(i)));
        }
        return tuple;
    }
}
