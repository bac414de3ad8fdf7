package io.sluice.replicarouter;

import io.sluice.common.problem.ProblemType;

/** Problems only the replica router answers with (see docs/problems.md). */
public final class ReplicaRouterProblem {

    public static final ProblemType SQL_ERROR = ProblemType.of("sql-error", 400, "The database rejected the statement");

    public static final ProblemType PRIMARY_UNAVAILABLE =
            ProblemType.of("primary-unavailable", 503, "The primary is unavailable");

    public static final ProblemType DATABASE_UNAVAILABLE =
            ProblemType.of("database-unavailable", 503, "The database could not be reached");

    public static final ProblemType RESULT_TOO_LARGE =
            ProblemType.of("result-too-large", 413, "The result is larger than this router returns");

    public static final ProblemType FAILOVER_REFUSED =
            ProblemType.of("failover-refused", 409, "The failover was refused");

    public static final ProblemType FAILOVER_FAILED =
            ProblemType.of("failover-failed", 502, "The promotion did not complete");

    public static final ProblemType BULK_ROLLED_BACK =
            ProblemType.of("bulk-rolled-back", 400, "A row was rejected; the atomic bulk was rolled back");

    public static final ProblemType SESSION_STATE = ProblemType.of("session-state", 400,
            "The statement would change the session beyond this request");

    public static final ProblemType OVERLOADED = ProblemType.of("overloaded", 503, "The router is at capacity");

    public static final ProblemType SPLIT_BRAIN = ProblemType.of("split-brain", 503,
            "More than one node claims to be the primary");

    public static final ProblemType CONNECTION_NOT_ALLOWED = ProblemType.of("connection-not-allowed", 403,
            "This database and user are not allowed on this router");

    public static final ProblemType BULK_BUSY =
            ProblemType.of("bulk-busy", 429, "Too many bulk requests are running");

    private ReplicaRouterProblem() {
    }
}
