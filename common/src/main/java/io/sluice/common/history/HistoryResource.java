package io.sluice.common.history;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code GET /v1/history[?since=<epochSeconds>]}, the same in every service that keeps a {@link ServiceHistory}: the
 * last hour of its chart figures, or only the points after {@code since}. A public read, like the other /v1 figures.
 * A service without one (partition-manager) answers 404 {@code not-found}.
 */
@Path("/v1/history")
@Tag(name = "History", description = "The last hour of the service's chart figures, for the console")
public class HistoryResource {

    private final Instance<ServiceHistory> history;

    public HistoryResource(Instance<ServiceHistory> history) {
        this.history = history;
    }

    @GET
    @Operation(summary = "The last hour of this service's chart figures (one point per step), or the points after"
            + " `since` (epoch seconds)")
    @APIResponse(responseCode = "200", description = "The step, the capacity and each series' points",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = History.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: this service keeps no chart history")
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public History history(@QueryParam("since") @PositiveOrZero Long since) {
        if (!history.isResolvable()) {
            throw new ProblemException(CommonProblem.NOT_FOUND, "This service keeps no chart history");
        }
        return history.get().read(since);
    }
}
