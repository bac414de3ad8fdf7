package io.sluice.cacheservice.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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

import io.sluice.cacheservice.CacheServiceProblem;
import io.sluice.cacheservice.query.LoadFailure;
import io.sluice.cacheservice.query.QueryAnswer;
import io.sluice.cacheservice.query.QueryCacheService;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** The query cache: rows of a read-only query, from the cache or loaded on a miss. */
@Path("/v1/cache/query")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Query cache", description = "Rows of read-only queries, cached")
public class QueryResource {

    private final QueryCacheService cache;
    private final QueryRequests requests;

    public QueryResource(QueryCacheService cache, QueryRequests requests) {
        this.cache = cache;
        this.requests = requests;
    }

    @POST
    @Operation(summary = "Rows of a read-only query, from the cache or loaded on a miss", description = "One loader "
            + "per key across the fleet; stale-while-revalidate and stale-if-error as the request asks.")
    @APIResponse(responseCode = "200", description = "The rows (X-Cache: HIT, MISS, STALE or BYPASS)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = QueryResponse.class)),
            headers = { @Header(name = CacheHeaders.X_CACHE, description = "HIT, MISS, STALE or BYPASS"),
                @Header(name = CacheHeaders.AGE, description = "Seconds since it was loaded"),
                @Header(name = CacheHeaders.X_CACHE_KEY, description = "The cache key"),
                @Header(name = CacheHeaders.X_CACHE_LAYER, description = "On a hit: near or redis") })
    @APIResponse(responseCode = "400", description = "`not-read-only`: the statement is not read-only, nothing ran; "
            + "`sql-error`: PostgreSQL refused the query (SQLSTATE in `code`)")
    @APIResponse(responseCode = "503", description = "`database-unavailable`: the load failed and no stale value may "
            + "be served")
    public Uni<RestResponse<QueryResponse>> query(@Valid @NotNull QueryRequest request) {
        var spec = requests.toSpec(request);
        return cache.query(spec)
                .map(answer -> response(spec.namespace(), answer))
                .onFailure(LoadFailure.class).transform(QueryResource::problem);
    }

    private static RestResponse<QueryResponse> response(String namespace, QueryAnswer a) {
        var builder = RestResponse.ResponseBuilder.ok(
                new QueryResponse(namespace, a.key(), a.rows().size(), a.rows()))
                .header(CacheHeaders.X_CACHE, a.status().name())
                .header(CacheHeaders.AGE, Long.toString(a.ageSeconds()))
                .header(CacheHeaders.X_CACHE_KEY, a.key());
        if (a.status() == io.sluice.cacheservice.entry.CacheStatus.HIT) {
            builder.header(CacheHeaders.X_CACHE_LAYER, a.nearHit() ? "near" : "redis");
        }
        return builder.build();
    }

    static ProblemException problem(Throwable e) {
        LoadFailure f = (LoadFailure) e;
        if (f.clientError()) {
            var p = new ProblemException(CacheServiceProblem.SQL_ERROR, f.getMessage());
            return f.sqlState() == null ? p : p.withCode(f.sqlState());
        }
        return new ProblemException(CacheServiceProblem.DATABASE_UNAVAILABLE,
                "The query could not be loaded and no stale value may be served", e);
    }
}
