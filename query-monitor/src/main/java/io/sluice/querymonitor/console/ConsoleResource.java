package io.sluice.querymonitor.console;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * The console's read side: the overview, and a same-origin proxy to the services' read APIs so the page needs
 * no cross-origin access. Only GET, only {@code /v1/...} paths (and the health/metrics endpoints) are proxied.
 */
@Path("/console/api")
@Tag(name = "Console", description = "The operator console's API")
public class ConsoleResource {

    /** Path segments the proxy forwards: no '..', no encoded slashes, no scheme or host tricks. */
    private static final Pattern SAFE_PATH = Pattern.compile("(v1(/[A-Za-z0-9._~%-]+)+|q/health(/ready|/live)?)");

    /** OpenAPI descriptions the console's operations share. */
    static final String UNKNOWN_SERVICE = "`console-unknown-service`: not a Sluice service";
    static final String UPSTREAM_UNAVAILABLE = "`console-upstream-unavailable`: the service did not answer in time";

    private final OverviewService overview;
    private final UpstreamClient upstream;
    public ConsoleResource(OverviewService overview, UpstreamClient upstream) {
        this.overview = overview;
        this.upstream = upstream;
    }

    @GET
    @Path("overview")
    @Operation(summary = "One card per service: up, key figures, what needs attention")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<Card>> overview() {
        return overview.cards();
    }

    /** A service's Sluice metrics (/q/metrics) as JSON, for charts of counters the services do not serve as JSON. */
    @GET
    @Path("metrics/{service}")
    @Operation(summary = "A service's Sluice metrics as JSON")
    @APIResponse(responseCode = "200", description = "The service's Sluice samples",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PrometheusText.Sample.class)))
    @APIResponse(responseCode = "404", description = UNKNOWN_SERVICE)
    @APIResponse(responseCode = "502", description = UPSTREAM_UNAVAILABLE)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<PrometheusText.Sample>> metrics(@PathParam("service") String service) {
        ConsoleService s = service(service);
        String prefix = "sluice_" + s.id().replace("-", "") + "_";
        return upstream.get(s, "/q/metrics", null).map(u -> {
            if (!u.ok()) {
                throw unavailable(s, u);
            }
            return PrometheusText.parse(u.body(), prefix);
        });
    }

    /**
     * GET {@code /console/api/proxy/<service>/<path>?<query>} answers what the service answers (status, body and
     * content type). Only the caller's own {@code Authorization} is passed on: the proxy never adds the configured
     * admin token, so an operator read endpoint answers through it exactly what it answers a direct caller (401
     * without the operator's token). Whoever reaches query-monitor borrows no privilege from it.
     */
    @GET
    @Path("proxy/{service}/{path: .+}")
    @Operation(summary = "GET a service's read API through query-monitor (same origin)", description = "Answers what "
            + "the service answers: status, body, content type; only the caller's Authorization is passed on.")
    @APIResponse(responseCode = "200", description = "The service's answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    description = "The service's own body")))
    @APIResponse(responseCode = "400", description = "`console-path-not-allowed`: only GET /v1/... and /q/health are "
            + "proxied")
    @APIResponse(responseCode = "404", description = UNKNOWN_SERVICE)
    @APIResponse(responseCode = "502", description = UPSTREAM_UNAVAILABLE)
    public Uni<Response> proxy(@PathParam("service") String service, @PathParam("path") String path,
            @Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        ConsoleService s = service(service);
        String raw = uri.getRequestUri().getRawPath();
        String rawPath = raw.substring(raw.indexOf("/api/proxy/" + service + "/") + ("/api/proxy/" + service + "/").length());
        if (!SAFE_PATH.matcher(rawPath).matches() || rawPath.contains("..") || rawPath.contains("%2F")
                || rawPath.contains("%2f")) {
            throw new ProblemException(ConsoleProblem.PATH_NOT_ALLOWED,
                    "Only GET /v1/... and /q/health of a service are proxied, not '" + abbreviate(rawPath) + "'");
        }
        String query = uri.getRequestUri().getRawQuery();
        return upstream.get(s, "/" + rawPath + (query == null ? "" : "?" + query), authorization).map(u -> {
            if (!u.reached()) {
                throw unavailable(s, u);
            }
            return Response.status(u.status()).entity(u.body())
                    .type(u.contentType() == null ? MediaType.APPLICATION_JSON : u.contentType()).build();
        });
    }

    static ConsoleService service(String id) {
        return ConsoleService.byId(id).orElseThrow(() -> new ProblemException(ConsoleProblem.UNKNOWN_SERVICE,
                "Services are query-monitor, replica-router, cache-service, rate-limiter, partition-manager; not '"
                        + abbreviate(id) + "'"));
    }

    static ProblemException unavailable(ConsoleService s, Upstream u) {
        return new ProblemException(ConsoleProblem.UPSTREAM_UNAVAILABLE,
                s.id() + " did not answer: " + (u.reached() ? "HTTP " + u.status() : u.unreachable()));
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
