package io.sluice.ratelimiter.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.FieldError;
import io.sluice.common.problem.ProblemException;
import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.gcra.RateLimitService;
import io.smallrye.mutiny.Uni;

/** The check API for backend apps, and its forward-auth form for reverse proxies. */
@Path("/v1/ratelimit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Checks", description = "Rate limit decisions for apps and reverse proxies")
public class RateLimitResource {

    private final RateLimitService service;
    private final long maxCost;

    public RateLimitResource(RateLimitService service, RateLimiterConfig config) {
        this.service = service;
        this.maxCost = config.maxCost();
    }

    /** 200 with the decision when allowed; 429 problem+json (quota-exceeded) with Retry-After when not. */
    @POST
    @Path("/check")
    @Operation(summary = "Check (and spend) a key's quota", description = "Every policy of the key in one atomic "
            + "step on Redis time; RateLimit-Policy and RateLimit headers on both answers.")
    @APIResponse(responseCode = "200", description = "Allowed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CheckResponse.class)),
            headers = { @Header(name = "RateLimit-Policy", description = "Each policy's quota and window"),
                @Header(name = "RateLimit", description = "Each policy's remaining quota and reset") })
    @APIResponse(responseCode = "400", description = "`cost-exceeds-burst`: the cost could never be allowed; "
            + "`body-too-large`: the body announces more than `rate-limiter.max-body-bytes`")
    @APIResponse(responseCode = "429", description = "`quota-exceeded`: a policy is spent; Retry-After says when to "
            + "come back",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = QuotaExceeded.class)),
            headers = @Header(name = "Retry-After", description = "Seconds"))
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> check(@Valid @NotNull CheckRequest request, UriInfo uri) {
        long cost = checkedCost(request.costOrOne(), "cost");
        return service.check(request.key(), request.resource(), cost)
                .map(d -> DecisionResponses.of(d, uri.getRequestUri(), 429, true));
    }

    /**
     * For a reverse proxy's auth subrequest: the key comes from {@code X-Api-Key} or {@code Authorization:
     * Bearer}, the cost from {@code X-RateLimit-Cost}. Allowed: 200 with no body. Refused: 429, or
     * {@code denyStatus=403} for nginx's auth_request (which only passes 401 and 403 on).
     */
    @GET
    @Path("/forward-auth")
    @Operation(summary = "Forward-auth check for a reverse proxy's auth subrequest", description = "The key from "
            + "X-Api-Key or Authorization: Bearer, the cost from X-RateLimit-Cost.")
    @APIResponse(responseCode = "200", description = "Allowed: no body, only the RateLimit headers",
            headers = { @Header(name = "RateLimit-Policy", description = "Each policy's quota and window"),
                @Header(name = "RateLimit", description = "Each policy's remaining quota and reset") })
    @APIResponse(responseCode = "400", description = "`cost-exceeds-burst`: the cost could never be allowed")
    @APIResponse(responseCode = "401", description = "`unauthorized`: no API key in X-Api-Key or Authorization")
    @APIResponse(responseCode = "403", description = "`quota-exceeded` with `denyStatus=403` (nginx auth_request)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = QuotaExceeded.class)))
    @APIResponse(responseCode = "429", description = "`quota-exceeded`: a policy is spent; Retry-After says when",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = QuotaExceeded.class)),
            headers = @Header(name = "Retry-After", description = "Seconds"))
    public Uni<Response> forwardAuth(@HeaderParam("X-Api-Key") String apiKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-RateLimit-Cost") String costHeader,
            @HeaderParam("X-RateLimit-Resource") String resource,
            @QueryParam("denyStatus") Integer denyStatus, UriInfo uri) {
        int denied = denyStatus == null ? 429 : denyStatus;
        if (denied != 429 && denied != 403) {
            throw invalid("denyStatus", "must be 429 or 403");
        }
        String key = apiKey != null && !apiKey.isBlank() ? apiKey.trim() : bearer(authorization);
        if (key == null) {
            throw new ProblemException(CommonProblem.UNAUTHORIZED, "Send the API key in X-Api-Key or Authorization: Bearer");
        }
        if (key.length() > 256) {
            throw invalid("X-Api-Key", "size must be between 1 and 256");
        }
        long cost = 1;
        if (costHeader != null) {
            try {
                cost = Long.parseLong(costHeader.trim());
            } catch (NumberFormatException e) {
                throw invalid("X-RateLimit-Cost", "must be a whole number");
            }
        }
        long checked = checkedCost(cost, "X-RateLimit-Cost");
        if (resource != null && (resource.isBlank() || resource.length() > 128)) {
            throw invalid("X-RateLimit-Resource", "size must be between 1 and 128");
        }
        return service.check(key, resource, checked).map(d -> DecisionResponses.of(d, uri.getRequestUri(), denied, false));
    }

    private long checkedCost(long cost, String field) {
        if (cost < 1 || cost > maxCost) {
            throw invalid(field, "must be between 1 and " + maxCost);
        }
        return cost;
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(CommonProblem.VALIDATION_FAILED, field + ": " + message)
                .withErrors(List.of(new FieldError(field, message)));
    }
}
