package io.sluice.cacheservice.api;

import io.sluice.common.problem.ProblemType;

/** Problems only the cache service answers with (see docs/problems.md). */
public enum CacheServiceProblem implements ProblemType {
    CACHE_MISS("cache-miss", 404, "No cached entry");

    private final String slug;
    private final int status;
    private final String title;

    CacheServiceProblem(String slug, int status, String title) {
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
