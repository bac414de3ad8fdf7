package io.sluice.querymonitor.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.sluice.querymonitor.sample.SampleService;

@Path("/queries/samples")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SamplesResource {

    private final SampleService service;

    public SamplesResource(SampleService service) {
        this.service = service;
    }

    /** Pure in-memory work, so it stays on the event loop. */
    @POST
    @ResponseStatus(202)
    @io.smallrye.common.annotation.NonBlocking
    public SamplesResponse report(@Valid @NotNull SamplesRequest request) {
        int slow = service.record(request.samples());
        return new SamplesResponse(request.samples().size(), slow);
    }
}
