package io.sluice.querymonitor.explain;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.api.QueryMonitorProblem;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Runs EXPLAIN work on one connection inside a read-only transaction with a statement timeout, and always rolls
 * it back: even EXPLAIN ANALYZE of a statement that slipped past the read-only check cannot change anything.
 */
@ApplicationScoped
public class ReadOnlyExplain {

    private final QueryMonitorConfig config;

    public ReadOnlyExplain(QueryMonitorConfig config) {
        this.config = config;
    }

    public <T> Uni<T> inReadOnlyTransaction(Pool pool, Function<SqlConnection, Uni<T>> work) {
        long timeoutMs = config.explain().statementTimeout().toMillis();
        return pool.withConnection(conn -> conn.query("BEGIN READ ONLY").execute()
                .chain(() -> conn.query("SET LOCAL statement_timeout = " + timeoutMs).execute())
                .chain(() -> work.apply(conn))
                .onTermination().call(() -> conn.query("ROLLBACK").execute().onFailure().recoverWithNull()))
                // PostgreSQL's message may quote a value of the statement, so only the SQLSTATE is passed on.
                .onFailure(PgException.class).transform(e -> new ProblemException(QueryMonitorProblem.EXPLAIN_FAILED,
                        "PostgreSQL answered SQLSTATE " + ((PgException) e).getSqlState()
                                + " when explaining the retained sample").withCode(((PgException) e).getSqlState()))
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> new ProblemException(
                        QueryMonitorProblem.DATABASE_UNAVAILABLE, "the database did not answer: " + e.getMessage()));
    }

    /** The JSON plan (the array PostgreSQL returns) of {@code EXPLAIN (options, FORMAT JSON) sql}. */
    public static Uni<JsonArray> explain(SqlConnection conn, String sql, boolean analyze) {
        String options = analyze ? "ANALYZE, BUFFERS, FORMAT JSON" : "FORMAT JSON";
        return conn.query("EXPLAIN (" + options + ") " + sql).execute().map(rs -> {
            Object value = rs.iterator().next().getValue(0);
            return value instanceof JsonArray a ? a : new JsonArray(value.toString());
        });
    }

    public static double totalCost(JsonArray plan) {
        return plan.getJsonObject(0).getJsonObject("Plan").getDouble("Total Cost");
    }

    static JsonObject root(JsonArray plan) {
        return plan.getJsonObject(0);
    }
}
