package io.sluice.ratelimiter;

import io.sluice.common.problem.ProblemType;

/** Problems only the rate limiter answers with (see docs/problems.md). */
public final class RateLimiterProblem {

    public static final ProblemType QUOTA_EXCEEDED = ProblemType.of("quota-exceeded", 429, "Quota exceeded");
    public static final ProblemType COST_EXCEEDS_BURST =
            ProblemType.of("cost-exceeds-burst", 400, "Cost can never be allowed");
    public static final ProblemType UNKNOWN_TIER = ProblemType.of("unknown-tier", 400, "Unknown tier");
    public static final ProblemType INVALID_POLICY = ProblemType.of("invalid-policy", 400, "Invalid policy");
    public static final ProblemType BODY_TOO_LARGE = ProblemType.of("body-too-large", 400, "Request body too large");
    public static final ProblemType REDIS_UNAVAILABLE =
            ProblemType.of("redis-unavailable", 503, "Rate-limit state unavailable");

    private RateLimiterProblem() {
    }
}
