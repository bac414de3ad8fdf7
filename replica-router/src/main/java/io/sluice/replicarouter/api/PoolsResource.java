package io.sluice.replicarouter.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.replicarouter.pool.PoolReport;
import io.sluice.replicarouter.pool.PoolReporter;
import io.smallrye.mutiny.Uni;

/** Pool use per node, a sizing recommendation with its reasoning, and suspected connection leaks. */
@Path("/v1/pools")
@Tag(name = "Nodes and pools")
public class PoolsResource {

    private final PoolReporter reporter;

    public PoolsResource(PoolReporter reporter) {
        this.reporter = reporter;
    }

    @GET
    @Operation(summary = "Pool use per node, a sizing recommendation and suspected connection leaks")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<PoolReport>> pools() {
        return reporter.report();
    }
}
