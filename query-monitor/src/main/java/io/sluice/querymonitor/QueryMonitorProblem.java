package io.sluice.querymonitor;

import io.sluice.common.problem.ProblemType;

/** query-monitor's own problem types (docs/problems.md). */
public final class QueryMonitorProblem {

    public static final ProblemType NO_RETAINED_SAMPLE =
            ProblemType.of("no-retained-sample", 404, "No executable sample is retained for this fingerprint");

    public static final ProblemType NOT_READ_ONLY =
            ProblemType.of("explain-analyze-not-read-only", 422, "EXPLAIN ANALYZE runs only read-only statements");

    public static final ProblemType ANALYZE_NEEDS_VALUES = ProblemType.of("explain-analyze-needs-values", 422,
            "EXPLAIN ANALYZE needs a sample with its values; only a masked text is retained");

    public static final ProblemType PARAMETER_TYPES_UNKNOWN = ProblemType.of("explain-parameter-types-unknown", 422,
            "PostgreSQL cannot type the placeholders of the masked statement");

    public static final ProblemType EXPLAIN_FAILED =
            ProblemType.of("explain-failed", 422, "PostgreSQL could not explain the statement");

    public static final ProblemType DATABASE_UNAVAILABLE =
            ProblemType.of("database-unavailable", 503, "The monitored database did not answer");

    /** Fleet-wide figures live in Redis: without it they cannot be read (ingest goes on in memory). */
    public static final ProblemType REDIS_UNAVAILABLE =
            ProblemType.of("redis-unavailable", 503, "Redis, where the fleet's figures are kept, did not answer");

    public static final ProblemType VERIFICATION_NOT_FOUND =
            ProblemType.of("verification-not-found", 404, "No such index verification");

    private QueryMonitorProblem() {
    }
}
