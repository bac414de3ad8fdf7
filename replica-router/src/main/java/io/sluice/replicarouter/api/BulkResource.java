package io.sluice.replicarouter.api;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.auth.ClientTokenRequired;
import io.sluice.replicarouter.bulk.BulkExecutor;
import io.sluice.replicarouter.bulk.BulkPlan;
import io.sluice.replicarouter.bulk.BulkRequest;
import io.sluice.replicarouter.bulk.BulkRequests;
import io.sluice.replicarouter.bulk.BulkResponse;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.pool.Logins;
import io.sluice.replicarouter.routing.RouteHints;
import io.sluice.replicarouter.session.SessionLsnStore;
import io.sluice.replicarouter.sql.SqlGateway;
import io.sluice.replicarouter.wire.QueryResult;
import io.sluice.replicarouter.wire.ResultFormat;
import io.smallrye.mutiny.Uni;

/**
 * POST /v1/bulk: one statement with many parameter rows, in chunks (see docs/bulk.md). Writes answer which chunks
 * committed and which failed; a read answers its rows in Neon's result shape. Accepts the same Sluice-* headers
 * as POST /sql.
 */
@Path("/v1/bulk")
@ClientTokenRequired
@Tag(name = "SQL")
public class BulkResource {

    private final BulkExecutor executor;
    private final SqlGateway gateway;
    private final SessionLsnStore sessions;
    private final RouterConfig config;
    private final Logins logins;

    public BulkResource(BulkExecutor executor, SqlGateway gateway, SessionLsnStore sessions, RouterConfig config,
            Logins logins) {
        this.logins = logins;
        this.executor = executor;
        this.gateway = gateway;
        this.sessions = sessions;
        this.config = config;
    }

    @POST
    @Operation(summary = "Run one statement over many parameter rows, in chunks", description = "Writes answer which "
            + "chunks committed (or, atomic, that all did); a read answers its rows in Neon's shape (docs/bulk.md).")
    @APIResponse(responseCode = "200", description = "A write's chunk outcomes, or a read's rows",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {
                BulkResponse.class, QueryResult.class })),
            headers = {
                @Header(name = SqlResource.NODE, description = "The node that ran the write"),
                @Header(name = SqlResource.COMMIT_LSN, description = "The write's commit LSN") })
    @APIResponse(responseCode = "400", description = "`bulk-rolled-back`: an atomic bulk hit a row PostgreSQL "
            + "rejected, nothing was written; `sql-error`: PostgreSQL rejected the statement; `session-state`: the "
            + "statement would change the session")
    @APIResponse(responseCode = "401", description = SqlResource.CLIENT_TOKEN_REFUSED)
    @APIResponse(responseCode = "403", description = SqlResource.LOGIN_REFUSED)
    @APIResponse(responseCode = "413", description = "`result-too-large`: a read reached `limits.max-rows` or "
            + "`limits.max-response-bytes`")
    @APIResponse(responseCode = "429", description = "`bulk-busy`: `bulk.max-concurrent-requests` are running; see "
            + "Retry-After")
    @APIResponse(responseCode = "503", description = SqlResource.NO_NODE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Object>> bulk(BulkRequest request,
            @HeaderParam("Sluice-Route") String route,
            @HeaderParam("Sluice-Min-Lsn") String minLsn,
            @HeaderParam("Sluice-Session") String session,
            @HeaderParam("Sluice-Statement-Timeout") String statementTimeout,
            @HeaderParam("Neon-Connection-String") String connectionString) {
        Login login = logins.select(connectionString);
        BulkPlan plan = BulkRequests.validate(request, config.bulk(), sql -> gateway.statement(sql, java.util.List.of()));
        RouteHints given = new RouteHints(SqlHeaders.routeHint(route),
                minLsn == null ? OptionalLong.empty() : OptionalLong.of(Lsn.parse(minLsn.trim())));
        String sessionId = session == null ? null : SessionLsnStore.validate(session);
        Duration timeout = Optional.ofNullable(statementTimeout)
                .map(t -> SqlHeaders.timeout(t, config.limits().maxStatementTimeout()))
                .orElse(config.limits().statementTimeout());
        Uni<RouteHints> hints = sessionId == null ? Uni.createFrom().item(given)
                : sessions.lsnOf(sessionId).map(lsn -> lsn.isPresent() ? given.withMinLsn(lsn.getAsLong()) : given);
        return executor.gated(() -> hints.chain(h -> executor.preflight(plan, h, login).chain(() -> plan.readOnly()
                ? executor.read(plan, h, login, timeout, new ResultFormat(false, true))
                        .map(r -> RestResponse.ok((Object) r))
                : executor.write(plan, h, login, timeout)
                        .call(r -> sessionId != null && r.commitLsn() != null
                                ? sessions.raise(sessionId, Lsn.parse(r.commitLsn()))
                                : Uni.createFrom().voidItem())
                        .map(BulkResource::toResponse))));
    }

    private static RestResponse<Object> toResponse(BulkResponse r) {
        var response = RestResponse.ResponseBuilder.ok((Object) r);
        if (r.commitLsn() != null) {
            response.header(SqlResource.COMMIT_LSN, r.commitLsn()).header(SqlResource.NODE, r.node());
        }
        return response.build();
    }
}
