package io.sluice.querymonitor.explain;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.Classification;
import io.sluice.common.sql.SqlClassifier;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.AggregateStore;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.metrics.QueryMonitorMetrics;

/**
 * EXPLAIN of a fingerprint's retained sample, or of its masked text as a generic plan. The sample's text (with its values) never leaves the service:
 * the answer shows the masked text, and logs name the fingerprint only.
 */
@ApplicationScoped
public class ExplainService {

    private static final Logger LOG = Logger.getLogger(ExplainService.class);

    /** {@code genericPlan}: planned from the masked text, for any values (no retained sample had them). */
    public record ExplainResponse(String fingerprint, String database, boolean analyze, boolean genericPlan, String sql,
            PlanSummary summary, JsonNode plan) {
    }

    private final AggregateStore store;
    private final DatabasePools pools;
    private final ReadOnlyExplain readOnly;
    private final QueryMonitorConfig config;
    private final ObjectMapper json;
    private final QueryMonitorMetrics metrics;
    private final SqlClassifier classifier = new SqlClassifier(Set.of());

    public ExplainService(AggregateStore store, DatabasePools pools, ReadOnlyExplain readOnly,
            QueryMonitorConfig config, ObjectMapper json, QueryMonitorMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.pools = pools;
        this.readOnly = readOnly;
        this.config = config;
        this.json = json;
    }

    /**
     * Explains the retained sample (with its values) when there is one; else the masked text every reporter sends
     * (replica-router's case) as a generic plan, which cannot be ANALYZEd.
     */
    public Uni<ExplainResponse> explain(String fingerprint, String database, boolean analyze) {
        return store.retainedSample(fingerprint).chain(sample -> sample != null
                ? explainSample(fingerprint, database, analyze, sample.sql())
                : store.metas(List.of(fingerprint)).map(metas -> metas.getOrDefault(fingerprint, Map.of()).get("sql"))
                        .chain(masked -> explainMasked(fingerprint, database, analyze, masked)));
    }

    private Uni<ExplainResponse> explainSample(String fingerprint, String database, boolean analyze, String sql) {
        Classification c = explainable(sql);
        if (analyze && !c.readOnly()) {
            throw new ProblemException(QueryMonitorProblem.NOT_READ_ONLY, "the statement of "
                    + fingerprint + " is not read-only (" + c.reason() + "); use plain EXPLAIN");
        }
        LOG.infof("EXPLAIN%s of fingerprint %s on %s", analyze ? " ANALYZE" : "", fingerprint, database);
        return readOnly.inReadOnlyTransaction(pools.get(database),
                conn -> ReadOnlyExplain.explain(conn, sql, analyze)
                        .chain(plan -> ReadOnlyExplain.withTableRows(conn, plan)))
                .onItemOrFailure().invoke((item, failure) -> metrics.recordExplain(false, failure == null))
                .map(explained -> response(fingerprint, database, analyze, false, SqlNormalizer.normalize(sql),
                        explained));
    }

    private Uni<ExplainResponse> explainMasked(String fingerprint, String database, boolean analyze, String masked) {
        if (masked == null) {
            throw new ProblemException(QueryMonitorProblem.NO_RETAINED_SAMPLE, "neither a sample nor the text of "
                    + fingerprint + " is retained: report it with its SQL text (not only a fingerprint)");
        }
        if (analyze) {
            throw new ProblemException(QueryMonitorProblem.ANALYZE_NEEDS_VALUES, "only the masked text of "
                    + fingerprint + " is retained, and ANALYZE would have to run it with values; use plain EXPLAIN "
                    + "(a generic plan) or report one execution with its values");
        }
        MaskedStatement statement = MaskedStatement.of(masked);
        explainable(statement.sql());
        LOG.infof("EXPLAIN (generic plan of the masked text) of fingerprint %s on %s", fingerprint, database);
        return readOnly.inReadOnlyTransaction(pools.get(database), conn -> GenericPlan.explain(conn, statement)
                .chain(plan -> ReadOnlyExplain.withTableRows(conn, plan)))
                .onItemOrFailure().invoke((item, failure) -> metrics.recordExplain(true, failure == null))
                .map(explained -> response(fingerprint, database, false, true, masked, explained));
    }

    /** One statement, and not an EXPLAIN itself. */
    private Classification explainable(String sql) {
        Classification c = classifier.classify(sql);
        if ("multiple statements".equals(c.reason()) || c.command().equals("EXPLAIN")) {
            throw new ProblemException(QueryMonitorProblem.EXPLAIN_FAILED,
                    "the retained statement is not one explainable statement (" + c.reason() + ")");
        }
        return c;
    }

    private ExplainResponse response(String fingerprint, String database, boolean analyze, boolean genericPlan,
            String masked, ReadOnlyExplain.Explained explained) {
        return new ExplainResponse(fingerprint, database, analyze, genericPlan, masked,
                PlanSummary.of(explained.plan(), config.explain().bigTableRows(), explained.tableRows()),
                toJson(explained.plan()));
    }

    private JsonNode toJson(io.vertx.core.json.JsonArray plan) {
        try {
            return json.readTree(plan.encode());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("PostgreSQL returned a plan that is not JSON", e);
        }
    }
}
