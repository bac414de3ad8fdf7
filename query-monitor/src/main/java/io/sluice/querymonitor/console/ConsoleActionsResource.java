package io.sluice.querymonitor.console;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.sluice.common.auth.AdminToken;
import io.sluice.common.auth.BearerTokens;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /console/api/actions/<action>}: a state-changing call made for the operator. It needs the admin
 * token the operator typed (checked against the configured one, then forwarded as the bearer) and
 * {@code "confirm": true}. Every attempt is logged with the request id; the token and API keys never are.
 */
@Path("/console/api/actions/{action}")
@Tag(name = "Console")
public class ConsoleActionsResource {

    private static final Logger LOG = Logger.getLogger(ConsoleActionsResource.class);

    private final UpstreamClient upstream;
    private final AdminToken admin;
    private final ConsoleMetrics metrics;

    public ConsoleActionsResource(UpstreamClient upstream, AdminToken admin, ConsoleMetrics metrics) {
        this.upstream = upstream;
        this.admin = admin;
        this.metrics = metrics;
    }

    @POST
    @Operation(summary = "Run a console action (tier change, namespace flush, failover dry run, index verification)",
            description = "Needs the admin token and `\"confirm\": true`; answers what the service answers.")
    @SecurityRequirement(name = "admin-token")
    @APIResponse(responseCode = "200", description = "The service's answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    description = "The service's own body")))
    @APIResponse(responseCode = "400", description = "`console-action-not-confirmed`: no `\"confirm\": true`; "
            + "`console-invalid-action`: a parameter is missing or not valid")
    @APIResponse(responseCode = "401", description = "`unauthorized`: missing or wrong admin token")
    @APIResponse(responseCode = "403", description = "`console-actions-disabled`: no admin token is configured")
    @APIResponse(responseCode = "404", description = "`console-unknown-action`: no such action")
    @APIResponse(responseCode = "502", description = ConsoleResource.UPSTREAM_UNAVAILABLE)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> act(@PathParam("action") String id, ActionRequest request,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        ConsoleAction action = ConsoleAction.byId(id).orElseThrow(() -> new ProblemException(
                ConsoleProblem.UNKNOWN_ACTION, "Actions are rate-limiter.tier, cache-service.flush-namespace, "
                        + "replica-router.failover-dry-run, query-monitor.verify-index; not '" + ConsoleResource.abbreviate(id) + "'"));
        try {
            checkToken(authorization);
            if (request == null || !Boolean.TRUE.equals(request.confirm())) {
                throw new ProblemException(ConsoleProblem.NOT_CONFIRMED,
                        "Send \"confirm\": true once the operator has confirmed the action");
            }
            String path = action.path(request);
            String body = action.body(request);
            LOG.infof("console action %s (%s) requested", action.id(), action.target(request));
            return upstream.call(action.service(), action.method(), path, authorization, body).map(u -> {
                if (!u.reached()) {
                    metrics.recordAction(action.id(), "failed");
                    LOG.warnf("console action %s failed: %s did not answer (%s)", action.id(), action.service().id(),
                            u.unreachable());
                    throw ConsoleResource.unavailable(action.service(), u);
                }
                metrics.recordAction(action.id(), u.ok() ? "done" : "refused");
                LOG.infof("console action %s (%s): %s answered HTTP %d", action.id(), action.target(request),
                        action.service().id(), u.status());
                return Response.status(u.status()).entity(u.body())
                        .type(u.contentType() == null ? MediaType.APPLICATION_JSON : u.contentType()).build();
            });
        } catch (ProblemException e) {
            metrics.recordAction(action.id(), "refused");
            LOG.infof("console action %s refused: %s", action.id(), e.getMessage());
            throw e;
        }
    }

    private void checkToken(String authorization) {
        String expected = admin.token().orElseThrow(() -> new ProblemException(
                ConsoleProblem.ACTIONS_DISABLED, "Set " + admin.key() + " (SLUICE_ADMIN_TOKEN)"));
        BearerTokens.require(authorization, List.of(expected), "the admin token");
    }
}
