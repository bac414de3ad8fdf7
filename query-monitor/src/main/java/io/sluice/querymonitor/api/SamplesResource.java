package io.sluice.querymonitor.api;

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
import org.jboss.resteasy.reactive.ResponseStatus;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.sample.SampleService;
import io.smallrye.common.annotation.NonBlocking;

@Path("/v1/queries/samples")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Queries")
public class SamplesResource {

    private final SampleService service;

    public SamplesResource(SampleService service) {
        this.service = service;
    }

    /** Accepted into memory (flushed to Redis within about a second). Pure in-memory work: stays on the event loop. */
    @POST
    @Operation(summary = "Report query samples (batched)", description = "Kept in memory and flushed to Redis within "
            + "about a second; still accepted while Redis is unreachable.")
    @APIResponse(responseCode = "202", description = "Accepted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SamplesResponse.class)))
    @ResponseStatus(202)
    @NonBlocking
    public SamplesResponse report(SamplesRequest request) {
        if (request == null) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED, "a body {\"samples\": [...]} is required");
        }
        int slow = service.record(request.samples());
        return new SamplesResponse(request.samples().size(), slow);
    }
}
