package io.sluice.partitionmanager.api;

import java.sql.SQLException;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.maintenance.RunRepository;
import io.smallrye.common.annotation.Blocking;

/** The bounded maintenance history, newest first. */
@Path("/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Maintenance")
public class RunsResource {

    private final RunRepository runs;

    public RunsResource(RunRepository runs) {
        this.runs = runs;
    }

    @GET
    @Operation(summary = "The maintenance history, newest first (by set, outcome)")
    @Blocking
    public List<RunRecord> list(@QueryParam("set") String set, @QueryParam("outcome") String outcome,
            @QueryParam("limit") @DefaultValue("50") int limit) throws SQLException {
        if (limit < 1 || limit > 1000) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED, "limit must be 1-1000");
        }
        RunRecord.Outcome o = null;
        if (outcome != null) {
            try {
                o = RunRecord.Outcome.valueOf(outcome.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                        "outcome must be one of ok, error, refused, skipped");
            }
        }
        return runs.list(set, o, limit);
    }
}
