package io.sluice.ratelimiter.api;

import io.sluice.common.problem.ProblemType;

/** Problems only the rate limiter answers with (see docs/problems.md). */
public enum RateLimiterProblem implements ProblemType {
    RATE_LIMITED("rate-limited", 429, "Rate limit exceeded");

    private final String slug;
    private final int status;
    private final String title;

    RateLimiterProblem(String slug, int status, String title) {
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
