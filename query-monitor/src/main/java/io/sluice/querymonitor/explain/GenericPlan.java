package io.sluice.querymonitor.explain;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.Uni;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * EXPLAIN of a masked statement, which has no values: it is PREPAREd with {@code $n} parameters and explained as
 * {@code EXECUTE name(NULL, ...)} under {@code plan_cache_mode = force_generic_plan}, so the planner never sees
 * the NULLs and the plan shows the access paths and costs for any value. Runs inside the caller's read-only
 * transaction, in a savepoint: a prepared statement outlives a rollback, so it is always deallocated, also after a
 * failure, and the caller's transaction stays usable.
 */
public final class GenericPlan {

    private static final String NAME = "sluice_generic_plan";
    /** PostgreSQL could not type a parameter from its context: no plan without the values. */
    private static final Set<String> UNTYPED = Set.of("42P18", "42725");

    private GenericPlan() {
    }

    public static Uni<JsonArray> explain(SqlConnection conn, MaskedStatement statement) {
        AtomicBoolean prepared = new AtomicBoolean();
        return ReadOnlyExplain.inSavepoint(conn, NAME,
                () -> conn.query("SET LOCAL plan_cache_mode = force_generic_plan").execute()
                        // The extended protocol takes exactly one statement: the text cannot smuggle in another.
                        .chain(() -> conn.preparedQuery("PREPARE " + NAME + " AS " + statement.sql()).execute())
                        .invoke(() -> prepared.set(true))
                        .chain(() -> ReadOnlyExplain.explain(conn, "EXECUTE " + NAME + statement.nullArguments(),
                                false))
                        .call(() -> conn.query("DEALLOCATE " + NAME).execute().invoke(() -> prepared.set(false))),
                () -> prepared.get() ? conn.query("DEALLOCATE " + NAME).execute().replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .onFailure(e -> e instanceof PgException pg && UNTYPED.contains(pg.getSqlState()))
                .transform(e -> new ProblemException(QueryMonitorProblem.PARAMETER_TYPES_UNKNOWN,
                        "the statement was reported masked (no values), and PostgreSQL cannot tell the type of each "
                                + "placeholder from its context (SQLSTATE " + ((PgException) e).getSqlState()
                                + "); report one execution with its values, or cast the parameter in the statement")
                        .withCode(((PgException) e).getSqlState()));
    }
}
