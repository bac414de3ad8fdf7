package io.sluice.cacheservice;

import io.sluice.common.problem.ProblemType;

/** Problems only the cache service answers with (see docs/problems.md). */
public final class CacheServiceProblem {

    public static final ProblemType CACHE_MISS = ProblemType.of("cache-miss", 404, "No cached entry");
    public static final ProblemType NOT_READ_ONLY = ProblemType.of("not-read-only", 400,
            "Only read-only statements can be cached");
    public static final ProblemType SQL_ERROR = ProblemType.of("sql-error", 400, "The database refused the query");
    public static final ProblemType VALUE_TOO_LARGE = ProblemType.of("value-too-large", 400,
            "Value larger than the cache accepts");
    public static final ProblemType LEASE_LOST = ProblemType.of("lease-lost", 409,
            "The lease is no longer valid: the entry was invalidated or another writer won");
    public static final ProblemType DATABASE_UNAVAILABLE = ProblemType.of("database-unavailable", 503,
            "The database cannot be reached and no stale value may be served");
    public static final ProblemType CACHE_UNAVAILABLE = ProblemType.of("cache-unavailable", 503,
            "Redis cannot be reached");
    public static final ProblemType WARM_JOB_NOT_FOUND = ProblemType.of("warm-job-not-found", 404,
            "No such warming job");

    private CacheServiceProblem() {
    }
}
