package io.sluice.cacheservice.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.query.QuerySpec;
import io.sluice.cacheservice.redis.RedisUnavailable;
import io.sluice.cacheservice.warm.WarmService;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** Warming: 202 with a job whose progress GET /v1/cache/warm/{id} reports. */
@Path("/v1/cache/warm")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Warming")
public class WarmResource {

    private static final int MAX_ITEMS = 10_000;
    private static final int MAX_BATCH = 500;

    private final WarmService warm;
    private final QueryRequests requests;

    public WarmResource(WarmService warm, QueryRequests requests) {
        this.warm = warm;
        this.requests = requests;
    }

    @POST
    @Operation(summary = "Start warming queries and keys", description = "A job; GET its Location for progress.")
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WarmJobView.class)),
            headers = @Header(name = "Location", description = "/v1/cache/warm/{id}"))
    @APIResponse(responseCode = "400", description = "`not-read-only`: a query is not read-only")
    @APIResponse(responseCode = "503", description = "`cache-unavailable`: Redis cannot be reached; nothing started")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<WarmJobView>> start(@Valid @NotNull WarmRequest request) {
        List<QuerySpec> specs = new ArrayList<>();
        for (QueryRequest q : request.queries() == null ? List.<QueryRequest>of() : request.queries()) {
            if (q == null || q.sql() == null || q.namespace() == null) {
                throw QueryRequests.invalid("each query needs namespace and sql");
            }
            specs.add(requests.toSpec(q));
        }
        List<CacheKey> keys = new ArrayList<>();
        for (var ref : request.keys() == null ? List.<InvalidateRequest.KeyRef>of() : request.keys()) {
            if (ref == null) {
                throw QueryRequests.invalid("a key must be {\"namespace\", \"key\"}");
            }
            keys.add(new CacheKey(ref.namespace(), ref.key()));
        }
        int size = specs.size() + keys.size();
        if (size == 0 || size > MAX_ITEMS) {
            throw QueryRequests.invalid("give 1 to " + MAX_ITEMS + " queries and/or keys");
        }
        int batch = request.batchSize() == null ? 50 : request.batchSize();
        if (batch < 1 || batch > MAX_BATCH) {
            throw QueryRequests.invalid("batch_size must be between 1 and " + MAX_BATCH);
        }
        return warm.start(specs, keys, batch).map(job -> RestResponse.ResponseBuilder
                .create(RestResponse.Status.ACCEPTED, WarmJobView.of(job))
                .header("Location", "/v1/cache/warm/" + job.id()).build())
                .onFailure(RedisUnavailable.class).transform(e -> new ProblemException(
                        CacheServiceProblem.CACHE_UNAVAILABLE, "Redis cannot be reached; nothing was started", e));
    }

    /** From any instance: progress is kept in Redis for an hour after the job's last batch. */
    @GET
    @Path("/{id}")
    @Operation(summary = "A warming job's progress (from any instance, for an hour)")
    @APIResponse(responseCode = "200", description = "The job's progress",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WarmJobView.class)))
    @APIResponse(responseCode = "404", description = "`warm-job-not-found`: no such job in the last hour")
    @APIResponse(responseCode = "503", description = "`cache-unavailable`: Redis cannot be reached")
    public Uni<WarmJobView> progress(@PathParam("id") String id) {
        return warm.progress(id).map(p -> {
            if (p == null) {
                throw new ProblemException(CacheServiceProblem.WARM_JOB_NOT_FOUND, "No warming job " + id
                        + " in the last hour");
            }
            return WarmJobView.of(p);
        }).onFailure(RedisUnavailable.class).transform(e -> new ProblemException(
                CacheServiceProblem.CACHE_UNAVAILABLE, "Redis cannot be reached; warming progress lives there", e));
    }
}
