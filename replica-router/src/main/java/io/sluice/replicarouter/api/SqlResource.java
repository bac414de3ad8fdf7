package io.sluice.replicarouter.api;

import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.sql.BatchOptions;
import io.sluice.replicarouter.sql.SqlGateway;
import io.sluice.replicarouter.sql.Statement;
import io.sluice.replicarouter.wire.ResultFormat;
import io.sluice.replicarouter.wire.SqlResponse;
import io.smallrye.mutiny.Uni;

/**
 * SQL over HTTP in Neon's format, so the @neondatabase/serverless driver works against Sluice with only its
 * endpoint changed. The driver sends its JSON as text/plain, so both content types are read as JSON.
 */
@Path("/sql")
public class SqlResource {

    private final SqlGateway gateway;
    private final ObjectMapper json;
    private final RouterConfig config;

    public SqlResource(SqlGateway gateway, ObjectMapper json, RouterConfig config) {
        this.gateway = gateway;
        this.json = json;
        this.config = config;
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SqlResponse> execute(String body,
            @HeaderParam("Neon-Array-Mode") String arrayMode,
            @HeaderParam("Neon-Raw-Text-Output") String rawText,
            @HeaderParam("Neon-Batch-Isolation-Level") String isolation,
            @HeaderParam("Neon-Batch-Read-Only") String readOnly,
            @HeaderParam("Neon-Batch-Deferrable") String deferrable) throws JsonProcessingException {
        SqlBody request = json.readValue(body == null ? "" : body, SqlBody.class);
        if (request == null) {
            throw new ProblemException(CommonProblem.MALFORMED_REQUEST, "Request body must be a JSON object");
        }
        SqlRequests.validate(request, config.limits());
        boolean headerArrayMode = flag("Neon-Array-Mode", arrayMode, false);
        boolean raw = flag("Neon-Raw-Text-Output", rawText, true);
        if (request.queries() == null) {
            boolean rows = request.arrayMode() != null ? request.arrayMode() : headerArrayMode;
            Statement statement = gateway.statement(request.query(), SqlRequests.textParams(request));
            return gateway.single(statement, new ResultFormat(rows, raw)).map(r -> r);
        }
        BatchOptions options = BatchOptions.fromHeaders(isolation, readOnly, deferrable);
        List<Statement> statements = request.queries().stream()
                .map(q -> gateway.statement(q.query(), SqlRequests.textParams(q))).toList();
        return gateway.batch(statements, options, new ResultFormat(headerArrayMode, raw)).map(r -> r);
    }

    private static boolean flag(String name, String value, boolean absent) {
        if (value == null) {
            return absent;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    name + " must be true or false, not '" + value + "'");
        };
    }
}
