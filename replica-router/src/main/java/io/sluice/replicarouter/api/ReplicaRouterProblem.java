package io.sluice.replicarouter.api;

import io.sluice.common.problem.ProblemType;

/** Problems only the replica router answers with (see docs/problems.md). */
public enum ReplicaRouterProblem implements ProblemType {
    SQL_ERROR("sql-error", 400, "The database rejected the statement"),
    DATABASE_UNAVAILABLE("database-unavailable", 503, "The database could not be reached");

    private final String slug;
    private final int status;
    private final String title;

    ReplicaRouterProblem(String slug, int status, String title) {
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
