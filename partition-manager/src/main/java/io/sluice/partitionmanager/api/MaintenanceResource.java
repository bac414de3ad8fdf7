package io.sluice.partitionmanager.api;

import java.sql.SQLException;
import java.util.List;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.auth.AdminOnly;
import io.sluice.partitionmanager.maintenance.MaintenanceService;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.smallrye.common.annotation.Blocking;

/** On demand, every set at once: what the schedule runs. */
@Path("/v1/maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Maintenance", description = "Runs, on demand and as history")
public class MaintenanceResource {

    private final MaintenanceService maintenance;

    public MaintenanceResource(MaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    /** One run per set, in name order; 409 maintenance-busy when another instance holds the lock. */
    @POST
    @AdminOnly
    @Operation(summary = "Run maintenance of every set now (what the schedule runs)")
    @APIResponse(responseCode = "200", description = "One run per set, in name order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = RunRecord.class)))
    @APIResponse(responseCode = "409", description = "`maintenance-busy`: another instance holds the lock; "
            + "`archive-invalid`: an archive file does not match its manifest, nothing dropped")
    @Blocking
    public List<RunRecord> runAll() throws SQLException {
        return maintenance.runAll("manual").orElseThrow(MaintenanceService::busy);
    }
}
