package io.sluice.replicarouter.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.replicarouter.pool.PoolReport;
import io.sluice.replicarouter.pool.PoolReporter;
import io.smallrye.mutiny.Uni;

/** Pool use per node, a sizing recommendation with its reasoning, and suspected connection leaks. */
@Path("/v1/pools")
public class PoolsResource {

    private final PoolReporter reporter;

    public PoolsResource(PoolReporter reporter) {
        this.reporter = reporter;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<PoolReport>> pools() {
        return reporter.report();
    }
}
