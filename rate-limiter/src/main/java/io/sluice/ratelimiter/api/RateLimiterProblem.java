package io.sluice.ratelimiter.api;

import io.sluice.common.problem.ProblemType;

/** Problems only the rate limiter answers with (see docs/problems.md). */
public final class RateLimiterProblem {

    public static final ProblemType RATE_LIMITED = ProblemType.of("rate-limited", 429, "Rate limit exceeded");

    private RateLimiterProblem() {
    }
}
