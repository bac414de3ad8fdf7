package io.sluice.ratelimiter.api;

import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.sluice.common.history.History;
import io.sluice.ratelimiter.history.RateLimiterHistory;
import io.smallrye.common.annotation.NonBlocking;

/** The last hour of the chart figures (decisions by tier and result); {@code ?since=} only newer points. Public. */
@Path("/v1/history")
public class HistoryResource {

    private final RateLimiterHistory history;

    public HistoryResource(RateLimiterHistory history) {
        this.history = history;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public History history(@QueryParam("since") @PositiveOrZero Long since) {
        return history.read(since);
    }
}
