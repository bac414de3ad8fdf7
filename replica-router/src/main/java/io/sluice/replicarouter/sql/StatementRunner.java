package io.sluice.replicarouter.sql;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.requestid.RequestIds;
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

    /** @param node the node's name, for the report to query-monitor */
    public Uni<QueryResult> run(SqlClient client, String node, Statement statement, ResultFormat format) {
        long started = System.nanoTime();
        Uni<List<String>> types = statement.params().isEmpty() ? Uni.createFrom().item(List.of())
                : paramTypes.of(client, statement.sql(), statement.classification().command(),
                        statement.isSingle());
        return types.map(t -> bind(statement, t))
                .chain(tuple -> client.preparedQuery(statement.sql()).execute(tuple))
                .map(rows -> RowEncoder.encode(rows, statement.commandTag(), format))
                .onFailure(PgException.class).transform(e -> new SqlErrorException(DbError.from((PgException) e)))
                .onItemOrFailure().invoke((result, failure) -> report(statement, node, started, result, failure));
    }

    private void report(Statement statement, String node, long started, QueryResult result, Throwable failure) {
        if (!reporter.enabled()) {
            return;
        }
        var fingerprint = fingerprints.of(statement.sql());
        String error = failure == null ? null
                : failure instanceof SqlErrorException s ? s.error().code() : "connection";
        reporter.offer(new StatementSample(fingerprint.normalized(), fingerprint.id(), null, node,
                (System.nanoTime() - started) / 1e6, result == null || result.rowCount() == null ? null
                        : result.rowCount().longValue(), error, RequestIds.current()));
    }

    private static Tuple bind(Statement statement, List<String> types) {
        List<String> params = statement.params();
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
