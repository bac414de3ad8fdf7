package io.sluice.partitionmanager.api;

import java.sql.SQLException;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.doctor.DefaultPartitionDoctor;
import io.sluice.partitionmanager.doctor.EvacuationReport;
import io.sluice.partitionmanager.health.SetHealth;
import io.sluice.partitionmanager.health.SetHealthService;
import io.sluice.partitionmanager.maintenance.MaintenanceService;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.PartitionPlanner;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.policy.SqlIdentifier;
import io.sluice.partitionmanager.sets.PartitionSetRepository;
import io.sluice.partitionmanager.sets.PartitionSetService;
import io.sluice.partitionmanager.sets.PartitionSetView;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

/** Partition sets: declare, list, remove, maintain, evacuate the default partition. JDBC work runs on workers. */
@Path("/v1/partition-sets")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Partition sets", description = "Declare, inspect, maintain; the admin token for changes")
public class PartitionSetsResource {

    private final PartitionPlanner planner;
    private final PartitionManagerMetrics metrics;
    private final PartitionSetService service;
    private final PartitionSetRepository repository;
    private final MaintenanceService maintenance;
    private final DefaultPartitionDoctor doctor;
    private final SetHealthService health;

    public PartitionSetsResource(PartitionPlanner planner, PartitionManagerMetrics metrics, PartitionSetService service,
            PartitionSetRepository repository, MaintenanceService maintenance, DefaultPartitionDoctor doctor,
            SetHealthService health) {
        this.planner = planner;
        this.metrics = metrics;
        this.service = service;
        this.repository = repository;
        this.maintenance = maintenance;
        this.doctor = doctor;
        this.health = health;
    }

    /** Dry run: the partitions and DDL a set needs now. Nothing is executed. */
    @POST
    @Path("/plan")
    @Operation(summary = "Dry run: the partitions and DDL a set needs now (nothing runs)")
    @NonBlocking
    public PlanResponse plan(@Valid @NotNull PlanRequest request) {
        var schema = new SqlIdentifier(request.schemaOrPublic());
        var table = new SqlIdentifier(request.table());
        var partitions = planner.plan(schema, table, request.interval(), request.premakeOrDefault());
        metrics.recordPlan(request.interval());
        return new PlanResponse(schema.name(), table.name(), partitions);
    }

    @PUT
    @AdminOnly
    @Path("/{table}")
    @Operation(summary = "Declare (or change) a table's partition set", description = "Premakes its partitions at "
            + "once; `dry_run=true` answers the DDL without running it.")
    @APIResponse(responseCode = "200", description = "The set and its first run (or, dry run, the DDL)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PartitionSetResponse.class)))
    @APIResponse(responseCode = "400", description = "`invalid-partition-set`: the set does not fit its table "
            + "(unknown table or column, not range-partitioned on it, a bad retention, time zone or archive store)")
    @APIResponse(responseCode = "409", description = "`ddl-failed`: PostgreSQL refused a statement (SQLSTATE in "
            + "`code`); its transaction was rolled back")
    @Blocking
    public PartitionSetResponse put(@PathParam("table") String table, @QueryParam("dry_run") boolean dryRun,
            @Valid @NotNull PartitionSetRequest request) throws SQLException {
        return PartitionSetResponse.of(service.put(table, request.toSpec(), dryRun));
    }

    @GET
    @Operation(summary = "Every declared partition set")
    @Blocking
    public List<PartitionSetView> list() throws SQLException {
        return repository.all().stream().map(PartitionSetView::of).toList();
    }

    /** The set and its health: runway, gaps, default rows, last run, partitions with size and row estimate. */
    @GET
    @Path("/{table}")
    @Operation(summary = "A set and its health: runway, gaps, default rows, last run, partitions")
    @APIResponse(responseCode = "200", description = "The set's health",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SetHealth.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no partition set for that table")
    @Blocking
    public SetHealth get(@PathParam("table") String table) throws SQLException {
        return health.of(find(table));
    }

    /** Forgets the set; its table and partitions are left as they are. */
    @DELETE
    @AdminOnly
    @Path("/{table}")
    @Operation(summary = "Forget a set (its table and partitions stay as they are)")
    @APIResponse(responseCode = "204", description = "Forgotten")
    @APIResponse(responseCode = "404", description = "`not-found`: no partition set for that table")
    @Blocking
    public Response delete(@PathParam("table") String table) throws SQLException {
        var set = find(table);
        repository.delete(set.schema().name(), set.table().name());
        return Response.noContent().build();
    }

    @POST
    @AdminOnly
    @Path("/{table}/maintenance")
    @Operation(summary = "Run maintenance of one set now: premake, retention, archive")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RunRecord.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no partition set for that table")
    @APIResponse(responseCode = "409", description = "`maintenance-busy`: another instance or run holds the lock; "
            + "`archive-invalid`: an archive file does not match its manifest, nothing dropped")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public RunRecord maintain(@PathParam("table") String table) throws SQLException {
        return maintenance.runOne(find(table), "manual");
    }

    @POST
    @AdminOnly
    @Path("/{table}/evacuate")
    @Operation(summary = "Move the default partition's rows into proper partitions, in batches")
    @APIResponse(responseCode = "200", description = "What moved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EvacuationReport.class)))
    @APIResponse(responseCode = "400", description = "`invalid-partition-set`: the set cannot take those rows as it is")
    @APIResponse(responseCode = "404", description = "`not-found`: no partition set for that table")
    @APIResponse(responseCode = "409", description = "`ddl-failed`: PostgreSQL refused a statement")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public EvacuationReport evacuate(@PathParam("table") String table,
            @QueryParam("batch_size") Integer batchSize) throws SQLException {
        if (batchSize != null && (batchSize < 1 || batchSize > 100_000)) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED, "batch_size must be 1-100000");
        }
        return doctor.evacuate(find(table), batchSize == null ? 10_000 : batchSize);
    }

    private PartitionSet find(String qualified) throws SQLException {
        SqlIdentifier[] name = SqlIdentifier.qualified(qualified);
        return repository.find(name[0].name(), name[1].name()).orElseThrow(() -> new ProblemException(
                CommonProblem.NOT_FOUND, "no partition set " + name[0].name() + "." + name[1].name()));
    }
}
