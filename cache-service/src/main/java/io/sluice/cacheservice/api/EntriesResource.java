package io.sluice.cacheservice.api;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.EntryStore;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** App-computed values: put, get and delete one entry of a namespace. */
@Path("/v1/cache/{namespace}/{key}")
@Produces(MediaType.APPLICATION_JSON)
public class EntriesResource {

    private final EntryStore store;
    private final CacheMetrics metrics;
    private final CacheServiceConfig config;

    public EntriesResource(EntryStore store, CacheMetrics metrics, CacheServiceConfig config) {
        this.store = store;
        this.metrics = metrics;
        this.config = config;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<EntryResponse> put(@PathParam("namespace") String namespace, @PathParam("key") String key,
            @Valid @NotNull PutEntryRequest request) {
        var cacheKey = new CacheKey(namespace, key);
        Duration ttl = request.ttlSeconds() == null ? config.defaultTtl() : Duration.ofSeconds(request.ttlSeconds());
        if (ttl.compareTo(config.maxTtl()) > 0) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "ttlSeconds may be at most " + config.maxTtl().toSeconds());
        }
        return store.put(cacheKey, request.value(), ttl)
                .invoke(metrics::recordWrite)
                .map(ok -> new EntryResponse(namespace, key, request.value(), ttl.toSeconds()));
    }

    @GET
    public Uni<EntryResponse> get(@PathParam("namespace") String namespace, @PathParam("key") String key) {
        var cacheKey = new CacheKey(namespace, key);
        return store.get(cacheKey)
                .invoke(found -> metrics.recordLookup(found != null))
                .map(found -> {
                    if (found == null) {
                        throw new ProblemException(CacheServiceProblem.CACHE_MISS,
                                "Nothing cached under " + namespace + "/" + key);
                    }
                    return new EntryResponse(namespace, key, found.value(), found.ttl().toSeconds());
                });
    }

    @DELETE
    public Uni<Void> delete(@PathParam("namespace") String namespace, @PathParam("key") String key) {
        return store.delete(new CacheKey(namespace, key)).replaceWithVoid();
    }
}
