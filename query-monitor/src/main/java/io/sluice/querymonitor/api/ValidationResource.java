package io.sluice.querymonitor.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.querymonitor.validation.Scorecard;
import io.sluice.querymonitor.validation.ScorecardService;
import io.smallrye.mutiny.Uni;

/** GET /v1/validation: the rollout scorecard (query-monitor's README, "Validation scorecard"). */
@Path("/v1/validation")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Validation")
public class ValidationResource {

    private final ScorecardService scorecard;

    public ValidationResource(ScorecardService scorecard) {
        this.scorecard = scorecard;
    }

    /** {@code window}: 1m, 5m, 1h or 24h (default {@code validation.default-window}); anything else is a 400. */
    @GET
    @Operation(summary = "The rollout scorecard over a window (1m, 5m, 1h or 24h)")
    public Uni<Scorecard> get(@QueryParam("window") String window) {
        return scorecard.evaluate(window == null || window.isEmpty() ? scorecard.defaultWindow()
                : Params.window(window));
    }
}
