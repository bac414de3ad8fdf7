package io.sluice.replicarouter.sql;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.sql.SqlClassifier;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.replicarouter.wire.BatchResult;
import io.sluice.replicarouter.wire.QueryResult;
import io.sluice.replicarouter.wire.ResultFormat;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Runs single statements and batches; a batch is one transaction, all or nothing. */
@ApplicationScoped
public class SqlGateway {

    private final Pool primary;
    private final StatementRunner runner;
    private final SqlClassifier classifier;
    private final RouterMetrics metrics;

    public SqlGateway(Pool primary, StatementRunner runner, SqlClassifier classifier, RouterMetrics metrics) {
        this.primary = primary;
        this.runner = runner;
        this.classifier = classifier;
        this.metrics = metrics;
    }

    public Statement statement(String sql, List<String> params) {
        return new Statement(sql, params, classifier.classify(sql));
    }

    public Uni<QueryResult> single(Statement statement, ResultFormat format) {
        var timer = metrics.start();
        return runner.run(primary, statement, format)
                .onItemOrFailure().invoke((result, failure) -> metrics.stop(timer, failure == null));
    }

    public Uni<BatchResult> batch(List<Statement> statements, BatchOptions options, ResultFormat format) {
        var timer = metrics.start();
        return primary.withConnection(conn -> conn.begin().chain(tx -> options.setTransaction()
                .map(sql -> conn.query(sql).execute().replaceWithVoid())
                .orElse(Uni.createFrom().voidItem())
                .chain(() -> runInOrder(conn, statements, format))
                .call(results -> tx.commit())
                .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull())))
                .map(BatchResult::new)
                .onItemOrFailure().invoke((result, failure) -> metrics.stop(timer, failure == null));
    }

    private Uni<List<QueryResult>> runInOrder(SqlConnection conn, List<Statement> statements, ResultFormat format) {
        return Multi.createFrom().iterable(statements)
                .onItem().transformToUniAndConcatenate(s -> runner.run(conn, s, format))
                .collect().asList();
    }
}
