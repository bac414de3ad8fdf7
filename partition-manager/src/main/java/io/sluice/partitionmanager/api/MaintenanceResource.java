package io.sluice.partitionmanager.api;

import java.sql.SQLException;
import java.util.List;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.common.auth.AdminOnly;
import io.sluice.partitionmanager.maintenance.MaintenanceService;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.smallrye.common.annotation.Blocking;

/** On demand, every set at once: what the schedule runs. */
@Path("/v1/maintenance")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceResource {

    private final MaintenanceService maintenance;

    public MaintenanceResource(MaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    /** One run per set, in name order; 409 maintenance-busy when another instance holds the lock. */
    @POST
    @AdminOnly
    @Blocking
    public List<RunRecord> runAll() throws SQLException {
        return maintenance.runAll("manual").orElseThrow(MaintenanceService::busy);
    }
}
