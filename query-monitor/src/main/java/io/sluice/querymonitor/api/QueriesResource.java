package io.sluice.querymonitor.api;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.sluice.common.auth.AdminOnly;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.explain.ExplainService;
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.query.QueryStatsService;
import io.sluice.querymonitor.sample.SampleService;
import io.sluice.querymonitor.slow.Regression;
import io.sluice.querymonitor.slow.RegressionDetector;

/** Fleet-wide figures per fingerprint, read from Redis. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
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
    public Uni<SlowResponse> slow(@QueryParam("window") @DefaultValue("1h") String window,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("database") String database) {
        var w = Params.window(window);
        var db = Params.database(database);
        int n = Params.limit(limit, MAX_LIMIT);
        return stats.slow(w, db, n).map(list -> new SlowResponse(w.label(), db.orElse(null),
                db.map(samples::thresholdMs).orElse(null), list));
    }
}
