package io.sluice.ratelimiter.api;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.common.problem.ProblemException;
import io.sluice.ratelimiter.gcra.RateLimitService;
import io.smallrye.mutiny.Uni;

@Path("/v1/limits")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LimitsResource {

    private final RateLimitService service;

    public LimitsResource(RateLimitService service) {
        this.service = service;
    }

    /** 200 with what remains when allowed; 429 problem+json with Retry-After when not. */
    @POST
    @Path("/check")
    public Uni<CheckResponse> check(@Valid @NotNull CheckRequest request) {
        return service.check(request.key(), request.costOrOne()).map(decision -> {
            if (!decision.allowed()) {
                long retry = Math.max(1, CheckResponse.ceilSeconds(decision.retryAfter().toMillis()));
                throw new ProblemException(RateLimiterProblem.RATE_LIMITED,
                        "Limit of " + decision.limit() + " requests reached; retry in " + retry + " s")
                        .withRetryAfter(retry, Map.of());
            }
            return CheckResponse.from(decision);
        });
    }
}
