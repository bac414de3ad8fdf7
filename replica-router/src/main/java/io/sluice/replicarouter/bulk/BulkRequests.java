package io.sluice.replicarouter.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.FieldError;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.sql.Statement;

/** Checks a {@link BulkRequest} against replica-router.bulk before anything runs, naming the first bad field. */
public final class BulkRequests {

    private BulkRequests() {
    }

    /** @param parse turns the SQL text into a classified statement (no parameters) */
    public static BulkPlan validate(BulkRequest request, RouterConfig.Bulk limits, Function<String, Statement> parse) {
        if (request == null) {
            throw invalid(List.of(new FieldError("", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.query() == null || request.query().isBlank()) {
            errors.add(new FieldError("query", "must not be empty"));
        }
        List<List<Object>> rows = request.rows();
        if (rows == null || rows.isEmpty() || rows.size() > limits.maxRows()) {
            errors.add(new FieldError("rows", "must hold 1 to " + limits.maxRows() + " parameter rows"));
        } else {
            checkRows(rows, errors);
        }
        int chunkSize = bounded(request.chunkSize(), limits.defaultChunkSize(), limits.maxChunkSize(), "chunk_size",
                errors);
        int parallelism = bounded(request.parallelism(), 1, limits.maxParallelism(), "parallelism", errors);
        BulkMode mode = mode(request.mode(), errors);
        String isolation = isolation(request.isolation(), errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        Statement statement = parse.apply(request.query());
        if (!statement.isSingle()) {
            throw invalid(List.of(new FieldError("query", "must be one statement")));
        }
        // A read commits nothing, so its mode is moot and its chunks may always run in parallel.
        if (mode == BulkMode.ATOMIC && parallelism > 1 && !statement.classification().readOnly()) {
            throw invalid(List.of(new FieldError("parallelism",
                    "must be 1 in atomic mode (one transaction runs on one connection); use mode per_chunk")));
        }
        return new BulkPlan(statement, text(rows), chunkSize, parallelism, isolation, mode);
    }

    private static void checkRows(List<List<Object>> rows, List<FieldError> errors) {
        int width = rows.get(0) == null ? -1 : rows.get(0).size();
        for (int i = 0; i < rows.size() && errors.isEmpty(); i++) {
            List<Object> row = rows.get(i);
            if (row == null || row.size() != width) {
                errors.add(new FieldError("rows[" + i + "]", "must be an array of " + width
                        + " values, like rows[0]"));
                continue;
            }
            for (int j = 0; j < row.size(); j++) {
                if (row.get(j) instanceof Map<?, ?> || row.get(j) instanceof List<?>) {
                    errors.add(new FieldError("rows[" + i + "][" + j + "]",
                            "must be a string, number, boolean or null (send arrays and JSON as their text)"));
                    break;
                }
            }
        }
    }

    private static int bounded(Integer value, int absent, int max, String field, List<FieldError> errors) {
        if (value == null) {
            return Math.min(absent, max);
        }
        if (value < 1 || value > max) {
            errors.add(new FieldError(field, "must be 1 to " + max));
        }
        return value;
    }

    private static BulkMode mode(String value, List<FieldError> errors) {
        if (value == null) {
            return BulkMode.ATOMIC;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "atomic" -> BulkMode.ATOMIC;
            case "per_chunk" -> BulkMode.PER_CHUNK;
            default -> {
                errors.add(new FieldError("mode", "must be atomic or per_chunk"));
                yield BulkMode.ATOMIC;
            }
        };
    }

    /** @return the SQL words of the isolation level (from a fixed list, so safe to put in SET TRANSACTION) */
    private static String isolation(String value, List<FieldError> errors) {
        if (value == null) {
            return "READ COMMITTED";
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "read_committed" -> "READ COMMITTED";
            case "repeatable_read" -> "REPEATABLE READ";
            case "serializable" -> "SERIALIZABLE";
            default -> {
                errors.add(new FieldError("isolation", "must be read_committed, repeatable_read or serializable"));
                yield "READ COMMITTED";
            }
        };
    }

    /** Values travel as text, like POST /sql's params, and are bound as the statement's parameter types. */
    private static List<List<String>> text(List<List<Object>> rows) {
        List<List<String>> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            List<String> params = new ArrayList<>(row.size());
            for (Object v : row) {
                params.add(v == null ? null : v.toString());
            }
            out.add(params);
        }
        return out;
    }

    private static ProblemException invalid(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String where = first.field().isEmpty() ? "" : first.field() + ": ";
        return new ProblemException(CommonProblem.VALIDATION_FAILED, where + first.message()).withErrors(errors);
    }
}
