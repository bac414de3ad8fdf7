package io.sluice.ratelimiter.api;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.ProblemException;
import io.sluice.ratelimiter.RateLimiterProblem;
import io.sluice.ratelimiter.gcra.RateLimitService;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.sluice.ratelimiter.tier.Tier;
import io.smallrye.mutiny.Uni;

/** RB-14 client status and RB-15 adjust client: one key's quota, tier and overrides, and a counter reset. */
@AdminOnly
@Path("/v1/ratelimit/keys/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operator", description = "Keys, tiers and offenders: the admin token (RB-14, RB-15, RB-16)")
public class KeysResource {

    private static final Logger LOG = Logger.getLogger(KeysResource.class);

    /** What a PUT answers: the key's settings as stored. */
    public record Assigned(String keyHash, String tier, Map<String, io.sluice.ratelimiter.tier.PolicySpec> overrides,
            String version) {
    }

    private final RateLimitService service;

    public KeysResource(RateLimitService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "A key's quota, tier and overrides (RB-14)")
    @APIResponse(responseCode = "200", description = "The key's state, nothing spent",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = KeyStatus.class)))
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis did not answer")
    public Uni<KeyStatus> status(@PathParam("key") @Pattern(regexp = ApiKeys.PATTERN, message = ApiKeys.MESSAGE) String key, @QueryParam("resource") String resource) {
        return RedisFailures.as503(service.status(key, resource)).map(d -> KeyStatus.of(RedisKeys.hash(key), d));
    }

    /** Takes effect on the next request on every instance; remaining allowance carries over proportionally. */
    @PUT
    @Operation(summary = "Set a key's tier and policy overrides (RB-15)", description = "Takes effect on the next "
            + "request on every instance.")
    @APIResponse(responseCode = "200", description = "The key's settings as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Assigned.class)))
    @APIResponse(responseCode = "400", description = "`unknown-tier`: not free, standard, pro or enterprise; "
            + "`invalid-policy`: a policy without limit/window, burst > limit, a bad name; `body-too-large`: the body "
            + "announces more than `rate-limiter.max-body-bytes`")
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis did not answer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Assigned> assign(@PathParam("key") @Pattern(regexp = ApiKeys.PATTERN, message = ApiKeys.MESSAGE) String key, @Valid @NotNull KeySettingsRequest request) {
        Tier tier = Tier.parse(request.tier()).orElseThrow(() -> new ProblemException(RateLimiterProblem.UNKNOWN_TIER,
                "Unknown tier '" + request.tier() + "'; tiers are free, standard, pro, enterprise"));
        Map<String, io.sluice.ratelimiter.tier.PolicySpec> overrides = request.overrides() == null ? Map.of()
                : request.overrides();
        Uni<io.sluice.ratelimiter.tier.KeySettings> saved;
        try {
            saved = service.assign(key, tier, overrides);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(RateLimiterProblem.INVALID_POLICY, e.getMessage());
        }
        return RedisFailures.as503(saved).map(s -> {
            LOG.infof("Key %s set to tier %s with %d overrides", RedisKeys.hash(key), tier.id(), overrides.size());
            return new Assigned(RedisKeys.hash(key), tier.id(), overrides, s.version());
        });
    }

    /** Resets the key's counters (its settings stay). */
    @DELETE
    @Operation(summary = "Reset a key's counters (its settings stay)")
    @APIResponse(responseCode = "204", description = "Reset")
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis did not answer")
    public Uni<Void> reset(@PathParam("key") @Pattern(regexp = ApiKeys.PATTERN, message = ApiKeys.MESSAGE) String key, @QueryParam("resource") String resource) {
        return RedisFailures.as503(service.reset(key, resource))
                .invoke(() -> LOG.infof("Key %s counters reset", RedisKeys.hash(key)));
    }
}
