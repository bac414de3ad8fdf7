package io.sluice.querymonitor.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.common.annotation.NonBlocking;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.sample.SampleService;

@Path("/v1/queries/samples")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SamplesResource {

    private final SampleService service;

    public SamplesResource(SampleService service) {
        this.service = service;
    }

    /** Accepted into memory (flushed to Redis within about a second). Pure in-memory work: stays on the event loop. */
    @POST
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
