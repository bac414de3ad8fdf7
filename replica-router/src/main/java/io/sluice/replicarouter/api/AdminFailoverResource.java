package io.sluice.replicarouter.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.common.auth.AdminOnly;
import io.sluice.replicarouter.failover.FailoverService;
import io.smallrye.mutiny.Uni;

/** Manual failover and its drill (RB-2, RB-4). */
@Path("/v1/admin/failover")
@AdminOnly
public class AdminFailoverResource {

    private final FailoverService failover;

    public AdminFailoverResource(FailoverService failover) {
        this.failover = failover;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FailoverResponse> failover(@Valid @NotNull FailoverRequest request) {
        return failover.failover(request.toOrder()).map(FailoverResponse::of);
    }
}
