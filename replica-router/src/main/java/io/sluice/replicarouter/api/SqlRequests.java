package io.sluice.replicarouter.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.FieldError;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.config.RouterConfig;

/** Checks a {@link SqlBody} and turns its parameters into text, saying exactly which field is wrong. */
final class SqlRequests {

    private SqlRequests() {
    }

    static void validate(SqlBody body, RouterConfig.Limits limits) {
        List<FieldError> errors = new ArrayList<>();
        boolean single = body.query() != null;
        boolean batch = body.queries() != null;
        if (single == batch) {
            errors.add(new FieldError(single ? "queries" : "query",
                    "send either query (one statement) or queries (a batch), not " + (single ? "both" : "neither")));
        } else if (single) {
            checkStatement(body, "", limits, errors);
        } else if (body.queries().isEmpty() || body.queries().size() > limits.maxBatchStatements()) {
            errors.add(new FieldError("queries", "must hold 1 to " + limits.maxBatchStatements() + " statements"));
        } else {
            for (int i = 0; i < body.queries().size(); i++) {
                SqlBody q = body.queries().get(i);
                if (q == null || q.queries() != null) {
                    errors.add(new FieldError("queries[" + i + "]", "must be {query, params}"));
                } else {
                    checkStatement(q, "queries[" + i + "].", limits, errors);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    errors.get(0).field() + ": " + errors.get(0).message()).withErrors(errors);
        }
    }

    private static void checkStatement(SqlBody q, String prefix, RouterConfig.Limits limits, List<FieldError> errors) {
        if (q.query() == null || q.query().isBlank()) {
            errors.add(new FieldError(prefix + "query", "must not be empty"));
        }
        if (q.params() != null) {
            if (q.params().size() > limits.maxParams()) {
                errors.add(new FieldError(prefix + "params", "at most " + limits.maxParams() + " parameters"));
            }
            for (int i = 0; i < q.params().size(); i++) {
                Object p = q.params().get(i);
                if (p instanceof Map<?, ?> || p instanceof List<?>) {
                    errors.add(new FieldError(prefix + "params[" + i + "]",
                            "must be a string, number, boolean or null (send arrays and JSON as their text)"));
                }
            }
        }
    }

    static List<String> textParams(SqlBody q) {
        if (q.params() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(q.params().size());
        for (Object p : q.params()) {
            out.add(p == null ? null : p.toString());
        }
        return out;
    }
}
