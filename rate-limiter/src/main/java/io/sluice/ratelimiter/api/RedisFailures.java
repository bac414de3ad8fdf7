package io.sluice.ratelimiter.api;

import io.sluice.common.problem.ProblemException;
import io.sluice.ratelimiter.RateLimiterProblem;
import io.smallrye.mutiny.Uni;

/** Operator calls need Redis: when it fails, they answer 503 redis-unavailable instead of a 500. */
final class RedisFailures {

    private RedisFailures() {
    }

    static <T> Uni<T> as503(Uni<T> call) {
        return call.onFailure(e -> !(e instanceof ProblemException)).transform(e -> new ProblemException(
                RateLimiterProblem.REDIS_UNAVAILABLE, "Redis did not answer: " + e.getMessage(), e));
    }
}
