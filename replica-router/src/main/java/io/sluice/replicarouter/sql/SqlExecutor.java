package io.sluice.replicarouter.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.api.ReplicaRouterProblem;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** Executes one statement on the primary and shapes the rows; database errors become problems. */
@ApplicationScoped
public class SqlExecutor {

    private final Pool primary;
    private final RouterMetrics metrics;

    public SqlExecutor(Pool primary, RouterMetrics metrics) {
        this.primary = primary;
        this.metrics = metrics;
    }

    public Uni<SqlResult> execute(SqlRequest request) {
        var timer = metrics.start();
        return primary.preparedQuery(request.query())
                .execute(Tuple.from(request.paramsOrEmpty()))
                .map(SqlExecutor::toResult)
                .onItemOrFailure().invoke((result, failure) -> metrics.stop(timer, failure == null))
                .onFailure().transform(SqlExecutor::toProblem);
    }

    private static SqlResult toResult(RowSet<Row> rows) {
        List<SqlResult.Field> fields = new ArrayList<>();
        List<String> names = rows.columnsNames() == null ? List.of() : rows.columnsNames();
        names.forEach(n -> fields.add(new SqlResult.Field(n)));
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), row.getValue(i));
            }
            out.add(values);
        }
        String command = names.isEmpty() ? "OK" : "SELECT";
        return new SqlResult(command, rows.rowCount(), out, fields);
    }

    private static Throwable toProblem(Throwable failure) {
        if (failure instanceof PgException pg) {
            return new ProblemException(ReplicaRouterProblem.SQL_ERROR, pg.getErrorMessage())
                    .withCode(pg.getSqlState());
        }
        if (failure instanceof ProblemException) {
            return failure;
        }
        if (failure instanceof IllegalArgumentException || failure instanceof ClassCastException) {
            // The client's parameters could not be encoded for the statement's types.
            return new ProblemException(ReplicaRouterProblem.SQL_ERROR, "Parameters do not fit the statement: "
                    + failure.getMessage());
        }
        return new ProblemException(ReplicaRouterProblem.DATABASE_UNAVAILABLE,
                "The primary could not run the statement", failure);
    }
}
