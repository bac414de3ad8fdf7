package io.sluice.ratelimiter.api;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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
import io.sluice.ratelimiter.tier.Catalogue;
import io.sluice.ratelimiter.tier.CatalogueStore.TierView;
import io.sluice.ratelimiter.tier.CatalogueStore;
import io.sluice.ratelimiter.tier.Tier;
import io.sluice.ratelimiter.tier.TierCatalogue;
import io.sluice.ratelimiter.tier.TierSpec;
import io.smallrye.mutiny.Uni;

/** The tier catalogue. A PUT replaces the tiers it names; every instance adopts it within catalogue-refresh. */
@AdminOnly
@Path("/v1/ratelimit/tiers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operator")
public class TiersResource {

    private static final Logger LOG = Logger.getLogger(TiersResource.class);

    private final TierCatalogue catalogue;
    private final CatalogueStore store;

    public TiersResource(TierCatalogue catalogue, CatalogueStore store) {
        this.catalogue = catalogue;
        this.store = store;
    }

    @GET
    @Operation(summary = "The tier catalogue in use")
    public CatalogueStore.Stored list() {
        return view(catalogue.current());
    }

    @PUT
    @Operation(summary = "Replace the tiers named", description = "Every instance adopts it within "
            + "`catalogue-refresh`.")
    @APIResponse(responseCode = "200", description = "The catalogue now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CatalogueStore.Stored.class)))
    @APIResponse(responseCode = "400", description = "`unknown-tier`: a tier other than free, standard, pro, "
            + "enterprise; `invalid-policy`: a policy without limit/window or with burst > limit; `body-too-large`: "
            + "the body announces more than `rate-limiter.max-body-bytes`")
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis did not answer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CatalogueStore.Stored> replace(@NotNull @NotEmpty Map<String, TierView> tiers) {
        Map<Tier, TierSpec> next = new EnumMap<>(catalogue.current().tiers());
        tiers.forEach((id, view) -> {
            Tier tier = Tier.parse(id).orElseThrow(() -> new ProblemException(RateLimiterProblem.UNKNOWN_TIER,
                    "Unknown tier '" + id + "'; tiers are free, standard, pro, enterprise"));
            if (view == null) {
                throw new ProblemException(RateLimiterProblem.INVALID_POLICY, "tier " + id + " is null");
            }
            try {
                next.put(tier, view.toSpec(id));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(RateLimiterProblem.INVALID_POLICY, e.getMessage());
            }
        });
        Catalogue changed = new Catalogue(UUID.randomUUID().toString(), Map.copyOf(next));
        return RedisFailures.as503(store.save(changed)).map(v -> {
            catalogue.adopt(changed);
            LOG.infof("Tier catalogue version %s saved (tiers %s)", changed.version(), tiers.keySet());
            return view(changed);
        });
    }

    private static CatalogueStore.Stored view(Catalogue c) {
        Map<String, TierView> tiers = new LinkedHashMap<>();
        for (Tier t : Tier.values()) {
            tiers.put(t.id(), TierView.of(c.tiers().get(t)));
        }
        return new CatalogueStore.Stored(c.version(), tiers);
    }
}
