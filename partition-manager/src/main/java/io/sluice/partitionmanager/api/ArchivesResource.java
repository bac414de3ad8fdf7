package io.sluice.partitionmanager.api;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.archive.ArchiveManifest;
import io.sluice.partitionmanager.archive.ArchiveRepository;
import io.sluice.partitionmanager.archive.RestoreService;
import io.smallrye.common.annotation.Blocking;

/** Archives (manifests) and their restore. */
@Path("/v1/archives")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Archives", description = "Checksummed archives of dropped partitions, and their restore")
public class ArchivesResource {

    private final ArchiveRepository archives;
    private final RestoreService restore;

    public ArchivesResource(ArchiveRepository archives, RestoreService restore) {
        this.archives = archives;
        this.restore = restore;
    }

    @GET
    @Operation(summary = "Every archive's manifest")
    @Blocking
    public List<ArchiveManifest> list() throws SQLException {
        return archives.list();
    }

    @POST
    @AdminOnly
    @Operation(summary = "Restore an archived partition", description = "The file is verified against its manifest "
            + "first.")
    @APIResponse(responseCode = "200", description = "What was restored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RestoreResponse.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such archive")
    @APIResponse(responseCode = "409", description = "`archive-invalid`: the file does not match its manifest, the "
            + "target exists or its parent is gone; `ddl-failed`: PostgreSQL refused a statement")
    @Path("/{id}/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public RestoreResponse restore(@PathParam("id") String id, @Valid @NotNull RestoreRequest request)
            throws SQLException, IOException {
        return RestoreResponse.of(restore.restore(uuid(id), request.toTarget()));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED, "'" + id + "' is not an archive id (a UUID)");
        }
    }
}
