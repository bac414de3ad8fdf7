package io.sluice.cacheservice.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.cacheservice.CacheServiceProblem;
import io.sluice.cacheservice.invalidation.TriggerRepository;
import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/** Operator endpoint: installs NOTIFY triggers on tables written outside replica-router. Admin token ({@link AdminOnly}). */
@Path("/v1/cache/admin/notify-triggers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Invalidation")
public class TriggersResource {

    public record TriggersRequest(@NotEmpty List<String> tables) {
    }

    public record TriggersResponse(List<String> installed, String channel) {
    }

    private final TriggerRepository triggers;
    private final io.sluice.cacheservice.config.CacheServiceConfig config;

    public TriggersResource(TriggerRepository triggers, io.sluice.cacheservice.config.CacheServiceConfig config) {
        this.triggers = triggers;
        this.config = config;
    }

    @POST
    @AdminOnly
    @Operation(summary = "Install NOTIFY triggers on tables written outside replica-router")
    @APIResponse(responseCode = "200", description = "The tables with a trigger now, and the channel",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TriggersResponse.class)))
    @APIResponse(responseCode = "400", description = "`sql-error`: PostgreSQL refused (e.g. no such table)")
    public Uni<TriggersResponse> install(@Valid @NotNull TriggersRequest request) {
        return triggers.install(request.tables())
                .map(installed -> new TriggersResponse(installed, config.invalidation().notifyChannel()))
                .onFailure(PgException.class).transform(e -> {
                    PgException pg = (PgException) e;
                    return new ProblemException(CacheServiceProblem.SQL_ERROR, pg.getErrorMessage())
                            .withCode(pg.getSqlState());
                });
    }
}
