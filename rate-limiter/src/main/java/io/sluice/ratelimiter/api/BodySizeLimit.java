package io.sluice.ratelimiter.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.sluice.common.problem.Problem;
import io.sluice.common.requestid.RequestIds;
import io.sluice.ratelimiter.RateLimiterProblem;
import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.vertx.core.json.Json;

/**
 * A check body is a few dozen bytes: one announcing more than {@code max-body-bytes} is refused with a 400
 * problem before it is read (the issue asks 400 for oversized bodies; bodies over the HTTP limit still get 413).
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Before common's 413 filter (900), after the request-id filter. */
    private static final int PRIORITY = 950;

    void limit(@Observes Filters filters, RateLimiterConfig config) {
        long max = config.maxBodyBytes();
        filters.register(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                    && Long.parseLong(length) > max && ctx.normalizedPath().startsWith("/v1/ratelimit/")) {
                var body = Problem.of(RateLimiterProblem.BODY_TOO_LARGE, "Request body is " + length
                        + " bytes; at most " + max + " are accepted", Problem.instanceOf(ctx.request().path()),
                        ctx.get(RequestIds.MDC_KEY));
                ctx.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(Json.encode(body));
                return;
            }
            ctx.next();
        }, PRIORITY);
    }
}
