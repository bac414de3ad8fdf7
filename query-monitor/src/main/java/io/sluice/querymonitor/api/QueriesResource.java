package io.sluice.querymonitor.api;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.common.auth.AdminOnly;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.explain.ExplainService;
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.query.QueryStatsService;
import io.sluice.querymonitor.sample.SampleService;
import io.sluice.querymonitor.slow.Regression;
import io.sluice.querymonitor.slow.RegressionDetector;
import io.smallrye.mutiny.Uni;

/** Fleet-wide figures per fingerprint, read from Redis. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Queries", description = "Fleet-wide figures per fingerprint")
public class QueriesResource {

    private static final int MAX_LIMIT = 500;

    private final QueryStatsService stats;
    private final SampleService samples;
    private final ExplainService explain;
    private final DatabasePools pools;
    private final QueryMonitorConfig config;
    private final RegressionDetector regressions;

    public QueriesResource(QueryStatsService stats, SampleService samples, ExplainService explain,
            DatabasePools pools, QueryMonitorConfig config, RegressionDetector regressions) {
        this.regressions = regressions;
        this.stats = stats;
        this.samples = samples;
        this.explain = explain;
        this.pools = pools;
        this.config = config;
    }

    public record TopResponse(String window, String sort, String database, List<QueryStats> queries) {
    }

    public record SlowResponse(String window, String database, Double thresholdMs, List<QueryStats> queries) {
    }

    /** Regression events of the last 24 h (newest first, at most 200). */
    @GET
    @Path("v1/queries/regressions")
    @Operation(summary = "Regression events of the last 24 h, newest first")
    @APIResponse(responseCode = "200", description = "The regressions, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Regression.class)))
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis (the fleet's figures) is unreachable")
    public Uni<List<Regression>> regressions() {
        return regressions.recent();
    }

    /**
     * EXPLAIN (FORMAT JSON) of the fingerprint's retained sample; ANALYZE only for read-only statements. It runs
     * statements on a monitored database (ANALYZE executes them), so it needs the admin token.
     */
    @POST
    @AdminOnly
    @Path("v1/queries/{fingerprint}/explain")
    @Operation(summary = "EXPLAIN (FORMAT JSON) a fingerprint's retained sample", description = "`analyze=true` only "
            + "for read-only statements: it executes them on the monitored database.")
    @APIResponse(responseCode = "200", description = "The plan and its summary",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ExplainService.ExplainResponse.class)))
    @APIResponse(responseCode = "404", description = "`no-retained-sample`: neither an executable sample nor the "
            + "masked text is kept")
    @APIResponse(responseCode = "422", description = "`explain-analyze-not-read-only`: ANALYZE of a statement that is "
            + "not read-only; `explain-analyze-needs-values`: ANALYZE of a fingerprint reported only masked; "
            + "`explain-parameter-types-unknown`: the placeholders cannot be typed; `explain-failed`: PostgreSQL could "
            + "not explain it (SQLSTATE in `code`)")
    @APIResponse(responseCode = "503", description = "`database-unavailable`: the monitored database did not answer; "
            + "`redis-unavailable`: the retained sample cannot be read")
    public Uni<ExplainService.ExplainResponse> explain(@PathParam("fingerprint") String fingerprint,
            @QueryParam("analyze") @DefaultValue("false") String analyze, @QueryParam("database") String database) {
        String fp = Params.fingerprint(fingerprint);
        String db = Params.configuredDatabase(database, config.defaultDatabase(), pools.names());
        if (!analyze.equals("true") && !analyze.equals("false")) {
            throw Params.bad("analyze", "true or false");
        }
        return explain.explain(fp, db, Boolean.parseBoolean(analyze));
    }

    /** The top N fingerprints by total time, mean, p95 or calls over a window. */
    @GET
    @Path("metrics/queries")
    @Operation(summary = "The top N fingerprints by total time, mean, p95 or calls over a window")
    @APIResponse(responseCode = "200", description = "The top fingerprints",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TopResponse.class)))
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis (the fleet's figures) is unreachable")
    public Uni<TopResponse> top(@QueryParam("window") @DefaultValue("5m") String window,
            @QueryParam("sort") @DefaultValue("total") String sort,
            @QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("database") String database) {
        var w = Params.window(window);
        var s = Params.sort(sort);
        var db = Params.database(database);
        int n = Params.limit(limit, MAX_LIMIT);
        return stats.top(w, db, s, n).map(list -> new TopResponse(w.label(), sort, db.orElse(null), list));
    }

    @GET
    @Path("v1/queries/slow")
    @Operation(summary = "Slow queries (over the threshold) in a window")
    @APIResponse(responseCode = "200", description = "The slow fingerprints",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SlowResponse.class)))
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis (the fleet's figures) is unreachable")
    public Uni<SlowResponse> slow(@QueryParam("window") @DefaultValue("1h") String window,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("database") String database) {
        var w = Params.window(window);
        var db = Params.database(database);
        int n = Params.limit(limit, MAX_LIMIT);
        return stats.slow(w, db, n).map(list -> new SlowResponse(w.label(), db.orElse(null),
                db.map(samples::thresholdMs).orElse(null), list));
    }
}
