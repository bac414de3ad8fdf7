package io.sluice.replicarouter.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.auth.AdminOnly;
import io.sluice.replicarouter.failover.FailoverService;
import io.smallrye.mutiny.Uni;

/** Manual failover and its drill (RB-2, RB-4). */
@Path("/v1/admin/failover")
@AdminOnly
@Tag(name = "Admin")
public class AdminFailoverResource {

    private final FailoverService failover;

    public AdminFailoverResource(FailoverService failover) {
        this.failover = failover;
    }

    @POST
    @Operation(summary = "Promote a replica (or dry-run it)", description = "Refused unless the node is an up "
            + "replica and the old primary is gone, or `force` is given (RB-2, RB-4).")
    @APIResponse(responseCode = "200", description = "What was (or, dry run, would be) done",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = FailoverResponse.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no node of that name")
    @APIResponse(responseCode = "409", description = "`failover-refused`: not an up replica, or the old primary "
            + "still answers and `force` was not given")
    @APIResponse(responseCode = "502", description = "`failover-failed`: pg_promote did not take the node out of "
            + "recovery in time")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FailoverResponse> failover(@Valid @NotNull FailoverRequest request) {
        return failover.failover(request.toOrder()).map(FailoverResponse::of);
    }
}
