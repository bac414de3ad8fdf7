package io.sluice.querymonitor.index;

import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.explain.GenericPlan;
import io.sluice.querymonitor.explain.MaskedStatement;
import io.sluice.querymonitor.explain.ReadOnlyExplain;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A statement the advisor costs: a retained sample with its values when there is one, else the fingerprint's
 * masked text (what replica-router reports), costed as a generic plan. Candidates come from either text.
 */
record AdvisedStatement(String fingerprint, String sample, MaskedStatement masked) {

    static AdvisedStatement ofSample(String fingerprint, String sql) {
        return new AdvisedStatement(fingerprint, sql, null);
    }

    static AdvisedStatement ofMasked(String fingerprint, String masked) {
        return new AdvisedStatement(fingerprint, null, MaskedStatement.of(masked));
    }

    String text() {
        return sample != null ? sample : masked.sql();
    }

    /** The planner's estimated total cost, with whatever (hypothetical) indexes exist right now. */
    Uni<Double> cost(SqlConnection conn) {
        return (sample != null ? ReadOnlyExplain.explain(conn, sample, false) : GenericPlan.explain(conn, masked))
                .map(ReadOnlyExplain::totalCost);
    }
}
