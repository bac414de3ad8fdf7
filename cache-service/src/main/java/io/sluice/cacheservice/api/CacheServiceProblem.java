package io.sluice.cacheservice.api;

import io.sluice.common.problem.ProblemType;

/** Problems only the cache service answers with (see docs/problems.md). */
public final class CacheServiceProblem {

    public static final ProblemType CACHE_MISS = ProblemType.of("cache-miss", 404, "No cached entry");

    private CacheServiceProblem() {
    }
}
