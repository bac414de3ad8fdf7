package io.sluice.querymonitor.explain;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
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
                                + " when explaining the statement").withCode(((PgException) e).getSqlState()))
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> new ProblemException(
                        QueryMonitorProblem.DATABASE_UNAVAILABLE, "the database did not answer: " + e.getMessage()));
    }

    /**
     * Runs work in a savepoint of the open transaction: on failure it rolls back to it (so the transaction stays
     * usable), runs the cleanup (session state a rollback does not undo) and fails with the original error.
     */
    public static <T> Uni<T> inSavepoint(SqlConnection conn, String name, Supplier<Uni<T>> work,
            Supplier<Uni<Void>> cleanupOnFailure) {
        return conn.query("SAVEPOINT " + name).execute()
                .chain(() -> work.get().onFailure().call(e -> conn.query("ROLLBACK TO SAVEPOINT " + name).execute()
                        .chain(cleanupOnFailure::get).onFailure().recoverWithNull()))
                .call(() -> conn.query("RELEASE SAVEPOINT " + name).execute());
    }

    /** The JSON plan (the array PostgreSQL returns) of {@code EXPLAIN (options, FORMAT JSON) sql}. */
    public static Uni<JsonArray> explain(SqlConnection conn, String sql, boolean analyze) {
        String options = analyze ? "ANALYZE, BUFFERS, FORMAT JSON" : "FORMAT JSON";
        return conn.query("EXPLAIN (" + options + ") " + sql).execute().map(rs -> {
            Object value = rs.iterator().next().getValue(0);
            return value instanceof JsonArray a ? a : new JsonArray(value.toString());
        });
    }

    /**
     * The plan, and the planner's row count of each sequentially scanned table (as the statement's search path
     * resolves its name), so the summary can tell a scan of a big table without ANALYZE.
     */
    public static Uni<Explained> withTableRows(SqlConnection conn, JsonArray plan) {
        Set<String> names = PlanSummary.seqScanned(plan);
        if (names.isEmpty()) {
            return Uni.createFrom().item(new Explained(plan, Map.of()));
        }
        return conn.preparedQuery("SELECT n, (SELECT reltuples FROM pg_class WHERE oid = to_regclass(quote_ident(n)))"
                + " FROM unnest($1::text[]) n").execute(Tuple.of(names.toArray(String[]::new))).map(rs -> {
                    Map<String, Double> rows = new HashMap<>();
                    rs.forEach(r -> {
                        if (r.getValue(1) != null) {
                            rows.put(r.getString(0), r.getDouble(1));
                        }
                    });
                    return new Explained(plan, rows);
                });
    }

    public record Explained(JsonArray plan, Map<String, Double> tableRows) {
    }

    public static double totalCost(JsonArray plan) {
        return plan.getJsonObject(0).getJsonObject("Plan").getDouble("Total Cost");
    }

    static JsonObject root(JsonArray plan) {
        return plan.getJsonObject(0);
    }
}
