package io.sluice.cacheservice.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.cacheservice.CacheServiceProblem;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.metrics.CacheMetrics.Event;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.cacheservice.redis.RedisUnavailable;
import io.sluice.cacheservice.stats.NamespaceMemory;
import io.sluice.cacheservice.stats.NamespaceStats;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Statistics per namespace (the whole fleet's, from Redis). {@code ?namespace=} narrows to one. */
@Path("/v1/cache/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Statistics")
public class StatsResource {

    private static final int MAX_LISTED = 100;

    private final NamespaceStats stats;
    private final NamespaceMemory memory;
    private final NearCache near;
    private final RedisGuard guard;

    public StatsResource(NamespaceStats stats, NamespaceMemory memory, NearCache near, RedisGuard guard) {
        this.stats = stats;
        this.memory = memory;
        this.near = near;
        this.guard = guard;
    }

    @GET
    @Operation(summary = "Hit rate, misses, memory per namespace (the fleet's)", description = "`namespace` narrows "
            + "to one; else the first 100.")
    @APIResponse(responseCode = "200", description = "The figures",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StatsResponse.class)))
    @APIResponse(responseCode = "503", description = "`cache-unavailable`: Redis cannot be reached")
    public Uni<StatsResponse> stats(@QueryParam("namespace") String namespace) {
        Uni<List<String>> names = namespace != null
                ? Uni.createFrom().item(List.of(CacheKey.validateNamespace(namespace)))
                : stats.namespaces().map(all -> all.stream().limit(MAX_LISTED).toList());
        double rate = stats.window().hitRate();
        return stats.flush().chain(() -> names)
                .chain(list -> Multi.createFrom().iterable(list)
                        .onItem().transformToUniAndConcatenate(this::figures).collect().asList())
                .map(figures -> new StatsResponse(figures, rate < 0 ? null : rate, near.size(),
                        guard.isDown() ? "degraded" : "up"))
                .onFailure(RedisUnavailable.class).transform(e -> new ProblemException(
                        CacheServiceProblem.CACHE_UNAVAILABLE, "Redis cannot be reached; statistics live there", e));
    }

    private Uni<StatsResponse.NamespaceFigures> figures(String namespace) {
        return Uni.combine().all().unis(stats.totals(namespace), memory.of(namespace)).asTuple().map(t -> {
            Map<String, Long> n = t.getItem1();
            long hits = get(n, Event.HIT);
            long stale = get(n, Event.STALE);
            long misses = get(n, Event.MISS);
            long bypass = get(n, Event.BYPASS);
            long lookups = hits + stale + misses + bypass;
            return new StatsResponse.NamespaceFigures(namespace, hits, misses,
                    lookups == 0 ? null : (double) (hits + stale) / lookups, stale, bypass, get(n, Event.LEASE_WAIT),
                    get(n, Event.EARLY_REFRESH), get(n, Event.INVALIDATED), t.getItem2().bytes(),
                    t.getItem2().keys(), t.getItem2().complete());
        });
    }

    private static long get(Map<String, Long> totals, Event e) {
        Long v = totals.get(e.field);
        return v == null ? 0 : v;
    }
}
