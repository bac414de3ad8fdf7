package io.sluice.common.history;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code GET /v1/history[?since=<epochSeconds>]}, the same in every service that keeps a {@link ServiceHistory}: the
 * last hour of its chart figures, or only the points after {@code since}. A public read, like the other /v1 figures.
 * A service without one (partition-manager) answers 404 {@code not-found}.
 */
@Path("/v1/history")
public class HistoryResource {

    private final Instance<ServiceHistory> history;

    public HistoryResource(Instance<ServiceHistory> history) {
        this.history = history;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public History history(@QueryParam("since") @PositiveOrZero Long since) {
        if (!history.isResolvable()) {
            throw new ProblemException(CommonProblem.NOT_FOUND, "This service keeps no chart history");
        }
        return history.get().read(since);
    }
}
