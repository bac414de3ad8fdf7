package io.sluice.replicarouter.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.common.json.StrictRequestBodies;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.Classification.RouteHint;
import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.auth.ClientTokenRequired;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.pool.Login;
import io.sluice.replicarouter.pool.Logins;
import io.sluice.replicarouter.routing.RouteHints;
import io.sluice.replicarouter.session.SessionLsnStore;
import io.sluice.replicarouter.sql.BatchOptions;
import io.sluice.replicarouter.sql.Executed;
import io.sluice.replicarouter.sql.SqlGateway;
import io.sluice.replicarouter.sql.Statement;
import io.sluice.replicarouter.wire.BatchResult;
import io.sluice.replicarouter.wire.QueryResult;
import io.sluice.replicarouter.wire.ResultFormat;
import io.sluice.replicarouter.wire.SqlResponse;
import io.smallrye.mutiny.Uni;

/**
 * SQL over HTTP in Neon's format, so the @neondatabase/serverless driver works against Sluice with only its
 * endpoint changed (the driver sends its JSON as text/plain, so both content types are read as JSON). Sluice-*
 * headers add routing overrides and read-your-writes; responses say which node answered and why.
 */
@Path("/sql")
@ClientTokenRequired
@Tag(name = "SQL", description = "SQL over HTTP in Neon's format, routed to the primary or a replica")
public class SqlResource {

    static final String COMMIT_LSN = "Sluice-Commit-Lsn";
    static final String NODE = "Sluice-Node";
    static final String REASON = "Sluice-Route-Reason";

    /** The OpenAPI descriptions /sql and /v1/bulk share (their Neon-Connection-String, client token, nodes). */
    static final String CLIENT_TOKEN_REFUSED = "`unauthorized`: missing or wrong client token (only when "
            + "`replica-router.auth.client-tokens` is set)";
    static final String LOGIN_REFUSED = "`connection-not-allowed`: Neon-Connection-String names a login the router "
            + "does not have, or the wrong password";
    static final String NO_NODE = "`overloaded`: the node's pool and its queue are full (or no connection came free); "
            + "`split-brain`: two primaries, writes refused; `primary-unavailable`: no primary, writes refused; "
            + "`database-unavailable`: no node could run the read";

    private final SqlGateway gateway;
    private final SessionLsnStore sessions;
    private final ObjectMapper json;
    private final RouterConfig config;
    private final Logins logins;

    public SqlResource(SqlGateway gateway, SessionLsnStore sessions, ObjectMapper json, RouterConfig config,
            Logins logins) {
        this.logins = logins;
        this.gateway = gateway;
        this.sessions = sessions;
        this.json = json;
        this.config = config;
    }

    @POST
    @Operation(summary = "Run one statement or a batch (Neon's HTTP format)", description = "Reads go to a healthy "
            + "replica, writes and transactions to the primary; a batch runs in one transaction. text/plain is read as "
            + "JSON (what fetch sends for a string body). Sluice-* headers override routing and give read-your-writes.")
    @RequestBody(required = true, content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SqlBody.class)),
        @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = SqlBody.class)) })
    @APIResponse(responseCode = "200", description = "The rows (or the batch's results), with the node that answered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {
                QueryResult.class, BatchResult.class })),
            headers = {
                @Header(name = NODE, description = "The node that ran it"),
                @Header(name = REASON, description = "Why it went there (write, read, lag, fallback, ...)"),
                @Header(name = COMMIT_LSN, description = "A write's commit LSN, for Sluice-Min-Lsn") })
    @APIResponse(responseCode = "400", description = "`sql-error`: PostgreSQL rejected the statement (SQLSTATE in "
            + "`code`, Neon's fields too); `session-state`: it would change the session beyond the request")
    @APIResponse(responseCode = "401", description = CLIENT_TOKEN_REFUSED)
    @APIResponse(responseCode = "403", description = LOGIN_REFUSED)
    @APIResponse(responseCode = "413", description = "`result-too-large`: more rows or bytes than `limits.*` allow")
    @APIResponse(responseCode = "503", description = NO_NODE)
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<SqlResponse>> execute(String body,
            @HeaderParam("Neon-Array-Mode") String arrayMode,
            @HeaderParam("Neon-Raw-Text-Output") String rawText,
            @HeaderParam("Neon-Batch-Isolation-Level") String isolation,
            @HeaderParam("Neon-Batch-Read-Only") String readOnly,
            @HeaderParam("Neon-Batch-Deferrable") String deferrable,
            @HeaderParam("Sluice-Route") String route,
            @HeaderParam("Sluice-Min-Lsn") String minLsn,
            @HeaderParam("Sluice-Session") String session,
            @HeaderParam("Sluice-Statement-Timeout") String statementTimeout,
            @HeaderParam("Neon-Connection-String") String connectionString) throws JsonProcessingException {
        // Quarkus' own limit is the larger bulk limit (replica-router.bulk.max-body-size).
        long maxBody = config.limits().maxBodySize().asLongValue();
        if (body != null && body.length() > maxBody) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE, "Request body is " + body.length()
                    + " characters; POST /sql accepts at most " + maxBody + " bytes (use POST /v1/bulk for many rows)");
        }
        SqlBody request = StrictRequestBodies.reader(json, SqlBody.class).readValue(body == null ? "" : body);
        if (request == null) {
            throw new ProblemException(CommonProblem.MALFORMED_REQUEST, "Request body must be a JSON object");
        }
        SqlRequests.validate(request, config.limits());
        Login login = logins.select(connectionString);
        boolean headerArrayMode = BatchOptions.flag("Neon-Array-Mode", arrayMode, false);
        boolean raw = BatchOptions.flag("Neon-Raw-Text-Output", rawText, true);
        RouteHints given = new RouteHints(SqlHeaders.routeHint(route),
                minLsn == null ? OptionalLong.empty() : OptionalLong.of(Lsn.parse(minLsn.trim())));
        String sessionId = session == null ? null : SessionLsnStore.validate(session);
        Optional<Duration> timeout = Optional.ofNullable(statementTimeout)
                .map(t -> SqlHeaders.timeout(t, config.limits().maxStatementTimeout()));
        BatchOptions options = request.queries() == null ? BatchOptions.DEFAULT
                : BatchOptions.fromHeaders(isolation, readOnly, deferrable);

        Uni<RouteHints> hints = sessionId == null ? Uni.createFrom().item(given)
                : sessions.lsnOf(sessionId).map(lsn -> lsn.isPresent() ? given.withMinLsn(lsn.getAsLong()) : given);
        Uni<Executed<SqlResponse>> executed = hints.chain(h -> {
            if (request.queries() == null) {
                boolean rows = request.arrayMode() != null ? request.arrayMode() : headerArrayMode;
                Statement statement = gateway.statement(request.query(), SqlRequests.textParams(request));
                return gateway.single(statement, h, login, new ResultFormat(rows, raw), timeout);
            }
            List<Statement> statements = request.queries().stream()
                    .map(q -> gateway.statement(q.query(), SqlRequests.textParams(q))).toList();
            return gateway.batch(statements, options, h, login, new ResultFormat(headerArrayMode, raw), timeout);
        });
        return executed.call(e -> sessionId != null && e.commitLsn().isPresent()
                ? sessions.raise(sessionId, e.commitLsn().getAsLong()) : Uni.createFrom().voidItem())
                .map(SqlResource::toResponse);
    }

    private static RestResponse<SqlResponse> toResponse(Executed<SqlResponse> e) {
        var response = RestResponse.ResponseBuilder.ok(e.response())
                .header(NODE, e.route().node().name())
                .header(REASON, e.route().reason().tag());
        e.commitLsn().ifPresent(lsn -> response.header(COMMIT_LSN, Lsn.format(lsn)));
        return response.build();
    }
}
