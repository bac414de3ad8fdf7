package io.sluice.querymonitor.explain;

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
import io.sluice.querymonitor.api.QueryMonitorProblem;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.db.DatabasePools;

/**
 * EXPLAIN of a fingerprint's retained sample. The sample's text (with its values) never leaves the service:
 * the answer shows the masked text, and logs name the fingerprint only.
 */
@ApplicationScoped
public class ExplainService {

    private static final Logger LOG = Logger.getLogger(ExplainService.class);

    public record ExplainResponse(String fingerprint, String database, boolean analyze, String sql,
            PlanSummary summary, JsonNode plan) {
    }

    private final AggregateStore store;
    private final DatabasePools pools;
    private final ReadOnlyExplain readOnly;
    private final QueryMonitorConfig config;
    private final ObjectMapper json;
    private final SqlClassifier classifier = new SqlClassifier(Set.of());

    public ExplainService(AggregateStore store, DatabasePools pools, ReadOnlyExplain readOnly,
            QueryMonitorConfig config, ObjectMapper json) {
        this.store = store;
        this.pools = pools;
        this.readOnly = readOnly;
        this.config = config;
        this.json = json;
    }

    public Uni<ExplainResponse> explain(String fingerprint, String database, boolean analyze) {
        return store.retainedSample(fingerprint).onItem().ifNull().failWith(() -> new ProblemException(
                QueryMonitorProblem.NO_RETAINED_SAMPLE, "no executable sample of " + fingerprint
                        + " is retained: report it with its SQL text (not only a masked text or fingerprint)"))
                .chain(sample -> {
                    Classification c = classifier.classify(sample.sql());
                    if ("multiple statements".equals(c.reason()) || c.command().equals("EXPLAIN")) {
                        throw new ProblemException(QueryMonitorProblem.EXPLAIN_FAILED,
                                "the retained sample is not one explainable statement (" + c.reason() + ")");
                    }
                    if (analyze && !c.readOnly()) {
                        throw new ProblemException(QueryMonitorProblem.NOT_READ_ONLY, "the statement of "
                                + fingerprint + " is not read-only (" + c.reason() + "); use plain EXPLAIN");
                    }
                    LOG.infof("EXPLAIN%s of fingerprint %s on %s", analyze ? " ANALYZE" : "", fingerprint, database);
                    return readOnly.inReadOnlyTransaction(pools.get(database),
                            conn -> ReadOnlyExplain.explain(conn, sample.sql(), analyze))
                            .map(plan -> new ExplainResponse(fingerprint, database, analyze,
                                    SqlNormalizer.normalize(sample.sql()),
                                    PlanSummary.of(plan, config.explain().bigTableRows()), toJson(plan)));
                });
    }

    private JsonNode toJson(io.vertx.core.json.JsonArray plan) {
        try {
            return json.readTree(plan.encode());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("PostgreSQL returned a plan that is not JSON", e);
        }
    }
}
