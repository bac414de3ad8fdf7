package io.sluice.querymonitor.api;

import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.sluice.common.history.History;
import io.sluice.querymonitor.history.QueryMonitorHistory;
import io.smallrye.common.annotation.NonBlocking;

/** The last hour of the chart figures (percentiles of the top fingerprints); {@code ?since=} only newer points. Public. */
@Path("/v1/history")
public class HistoryResource {

    private final QueryMonitorHistory history;

    public HistoryResource(QueryMonitorHistory history) {
        this.history = history;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public History history(@QueryParam("since") @PositiveOrZero Long since) {
        return history.read(since);
    }
}
