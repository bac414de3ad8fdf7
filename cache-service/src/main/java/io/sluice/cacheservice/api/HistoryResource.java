package io.sluice.cacheservice.api;

import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.sluice.cacheservice.history.CacheHistory;
import io.sluice.common.history.History;
import io.smallrye.common.annotation.NonBlocking;

/** The last hour of the chart figures (hit rate, invalidation lag); {@code ?since=} only newer points. Public. */
@Path("/v1/history")
public class HistoryResource {

    private final CacheHistory history;

    public HistoryResource(CacheHistory history) {
        this.history = history;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public History history(@QueryParam("since") @PositiveOrZero Long since) {
        return history.read(since);
    }
}
