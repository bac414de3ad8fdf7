package io.sluice.ratelimiter.api;

import java.net.URI;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.sluice.common.problem.Problem;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.requestid.RequestIds;
import io.sluice.ratelimiter.RateLimiterProblem;
import io.sluice.ratelimiter.gcra.Decision;
import io.sluice.ratelimiter.gcra.PolicyState;

/**
 * Turns a decision into an answer: 200 with the decision, or 429 problem+json with Retry-After; both with the
 * IETF httpapi RateLimit-Policy / RateLimit fields (draft-ietf-httpapi-ratelimit-headers) and the source.
 */
final class DecisionResponses {

    static final String SOURCE_HEADER = "Sluice-RateLimit-Source";

    private DecisionResponses() {
    }

    static Response of(Decision d, URI instance, int deniedStatus, boolean withBody) {
        if (d.retryAfterMicros() < 0) {
            String names = d.violated().stream().filter(s -> s.retryAfterMicros() < 0)
                    .map(s -> s.policy().name() + " (burst " + s.policy().burst() + ")")
                    .collect(Collectors.joining(", "));
            throw new ProblemException(RateLimiterProblem.COST_EXCEEDS_BURST,
                    "This cost is more than policy " + names + " can ever allow at once");
        }
        Response.ResponseBuilder r;
        if (d.allowed()) {
            r = withBody ? Response.ok(CheckResponse.of(d), MediaType.APPLICATION_JSON) : Response.ok();
        } else {
            long retry = Math.max(1, PolicyView.ceilSeconds(d.retryAfterMicros()));
            var violated = d.violated().stream().filter(s -> !s.policy().shadow()).map(s -> s.policy().name())
                    .toList();
            var body = new QuotaExceeded(RateLimiterProblem.QUOTA_EXCEEDED.uri(),
                    RateLimiterProblem.QUOTA_EXCEEDED.title(), deniedStatus,
                    "Quota exceeded for policies " + String.join(", ", violated) + "; retry in " + retry + " s",
                    instance, RequestIds.current(), retry, "limited", false, d.set().tier().id(), d.source().id(),
                    violated, d.states().stream().map(PolicyView::of).toList());
            r = Response.status(deniedStatus).type(Problem.MEDIA_TYPE).entity(body)
                    .header(HttpHeaders.RETRY_AFTER, retry);
        }
        return r.header("RateLimit-Policy", policyField(d))
                .header("RateLimit", limitField(d))
                .header(SOURCE_HEADER, d.source().id())
                .build();
    }

    /** {@code "minute";q=600;w=60, "day";q=20000;w=86400} */
    static String policyField(Decision d) {
        return d.states().stream().map(s -> "\"" + s.policy().name() + "\";q=" + s.policy().limit() + ";w="
                + s.policy().windowSeconds()).collect(Collectors.joining(", "));
    }

    /** {@code "minute";r=17;t=42, "day";r=19000;t=3600} */
    static String limitField(Decision d) {
        return d.states().stream().map(DecisionResponses::limitItem).collect(Collectors.joining(", "));
    }

    private static String limitItem(PolicyState s) {
        return "\"" + s.policy().name() + "\";r=" + s.remaining() + ";t=" + PolicyView.ceilSeconds(s.resetAfterMicros());
    }
}
