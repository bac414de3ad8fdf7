package io.sluice.cacheservice.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
public class QueryResource {

    private final QueryCacheService cache;
    private final QueryRequests requests;

    public QueryResource(QueryCacheService cache, QueryRequests requests) {
        this.cache = cache;
        this.requests = requests;
    }

    @POST
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
