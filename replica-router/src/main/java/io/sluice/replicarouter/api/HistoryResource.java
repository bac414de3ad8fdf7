package io.sluice.replicarouter.api;

import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.sluice.common.history.History;
import io.sluice.replicarouter.history.RouterHistory;
import io.smallrye.common.annotation.NonBlocking;

/** The last hour of the chart figures (replica lag, statements routed by target); {@code ?since=} only newer points. Public. */
@Path("/v1/history")
public class HistoryResource {

    private final RouterHistory history;

    public HistoryResource(RouterHistory history) {
        this.history = history;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public History history(@QueryParam("since") @PositiveOrZero Long since) {
        return history.read(since);
    }
}
