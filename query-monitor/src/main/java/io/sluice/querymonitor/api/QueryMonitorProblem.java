package io.sluice.querymonitor.api;

import io.sluice.common.problem.ProblemType;

/** query-monitor's own problem types (docs/problems.md). */
public enum QueryMonitorProblem implements ProblemType {
    NO_RETAINED_SAMPLE("no-retained-sample", 404, "No executable sample is retained for this fingerprint"),
    NOT_READ_ONLY("explain-analyze-not-read-only", 422, "EXPLAIN ANALYZE runs only read-only statements"),
    ANALYZE_NEEDS_VALUES("explain-analyze-needs-values", 422,
            "EXPLAIN ANALYZE needs a sample with its values; only a masked text is retained"),
    PARAMETER_TYPES_UNKNOWN("explain-parameter-types-unknown", 422,
            "PostgreSQL cannot type the placeholders of the masked statement"),
    EXPLAIN_FAILED("explain-failed", 422, "PostgreSQL could not explain the statement"),
    DATABASE_UNAVAILABLE("database-unavailable", 503, "The monitored database did not answer"),
    VERIFICATION_NOT_FOUND("verification-not-found", 404, "No such index verification");

    private final String slug;
    private final int status;
    private final String title;

    QueryMonitorProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
