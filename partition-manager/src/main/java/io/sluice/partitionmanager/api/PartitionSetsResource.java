package io.sluice.partitionmanager.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.PartitionPlanner;
import io.sluice.partitionmanager.policy.SqlIdentifier;
import io.smallrye.common.annotation.NonBlocking;

@Path("/v1/partition-sets")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PartitionSetsResource {

    private final PartitionPlanner planner;
    private final PartitionManagerMetrics metrics;

    public PartitionSetsResource(PartitionPlanner planner, PartitionManagerMetrics metrics) {
        this.planner = planner;
        this.metrics = metrics;
    }

    /** Dry run: the partitions and DDL a set needs now. Nothing is executed. */
    @POST
    @Path("/plan")
    @NonBlocking
    public PlanResponse plan(@Valid @NotNull PlanRequest request) {
        var schema = new SqlIdentifier(request.schemaOrPublic());
        var table = new SqlIdentifier(request.table());
        var partitions = planner.plan(schema, table, request.interval(), request.premakeOrDefault());
        metrics.recordPlan(request.interval());
        return new PlanResponse(schema.name(), table.name(), partitions);
    }
}
