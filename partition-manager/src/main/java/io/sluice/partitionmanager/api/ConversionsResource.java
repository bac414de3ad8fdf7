package io.sluice.partitionmanager.api;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import io.sluice.partitionmanager.conversion.ConversionService;
import io.smallrye.common.annotation.Blocking;

/** Online conversion of a plain table into a partitioned one. */
@Path("/v1/conversions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Conversions", description = "Online conversion of a plain table into a partitioned one")
public class ConversionsResource {

    private final ConversionService conversions;

    public ConversionsResource(ConversionService conversions) {
        this.conversions = conversions;
    }

    /**
     * 202 with the conversion (it goes on in the background); 200 with every statement and the unsupported items for
     * a dry run. 400 conversion-invalid when something blocks it, conversion-not-accepted when an item is not accepted.
     */
    @POST
    @AdminOnly
    @Operation(summary = "Convert a table into a partitioned one (or dry-run it)")
    @APIResponse(responseCode = "202", description = "Started: it goes on in the background",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ConversionView.class)))
    @APIResponse(responseCode = "200", description = "Dry run: every statement and the unsupported items",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ConversionView.class)))
    @APIResponse(responseCode = "400", description = "`conversion-invalid`: something blocks it (`errors` lists "
            + "each); `conversion-not-accepted`: an item the request's `accept` does not name")
    @APIResponse(responseCode = "409", description = "`maintenance-busy`: a conversion of the table is running; "
            + "`ddl-failed`: PostgreSQL refused a statement")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response start(@Valid @NotNull ConversionRequest request) throws SQLException {
        var started = conversions.start(request.toSpec());
        boolean dry = Boolean.TRUE.equals(request.dryRun());
        var view = ConversionView.of(started.conversion(), !dry, started.ddl(), started.unsupported());
        return Response.status(dry ? 200 : 202).entity(view).build();
    }

    /** The newest conversions first, finished ones too (what the console lists with progress and ETA). */
    @GET
    @Operation(summary = "The newest conversions, finished ones too")
    @Blocking
    public List<ConversionView> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(1000) int limit)
            throws SQLException {
        return conversions.recent(limit).stream()
                .map(v -> ConversionView.of(v, conversions.isRunning(v.id()))).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A conversion's progress")
    @APIResponse(responseCode = "200", description = "The conversion",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ConversionView.class)))
    @APIResponse(responseCode = "404", description = "`not-found`: no such conversion")
    @Blocking
    public ConversionView get(@PathParam("id") String id) throws SQLException {
        UUID uuid = uuid(id);
        return ConversionView.of(conversions.find(uuid), conversions.isRunning(uuid));
    }

    /** Continues an interrupted conversion where it stopped (also done automatically at start-up). */
    @POST
    @AdminOnly
    @Path("/{id}/resume")
    @Operation(summary = "Resume an interrupted conversion where it stopped")
    @APIResponse(responseCode = "202", description = "Resumed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ConversionView.class)))
    @APIResponse(responseCode = "400", description = "`conversion-invalid`: it has finished")
    @APIResponse(responseCode = "404", description = "`not-found`: no such conversion")
    @APIResponse(responseCode = "409", description = "`maintenance-busy`: it is running; `ddl-failed`: PostgreSQL "
            + "refused a statement")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public Response resume(@PathParam("id") String id, @QueryParam("throttle_ms") Integer throttleMs)
            throws SQLException {
        var v = conversions.resume(uuid(id), throttleMs);
        return Response.accepted(ConversionView.of(v, true)).build();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED, "'" + id + "' is not a conversion id (a UUID)");
        }
    }
}
