package io.sluice.cacheservice.api;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.sluice.cacheservice.CacheServiceProblem;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.invalidation.InvalidationService;
import io.sluice.cacheservice.invalidation.NamespaceSweeper;
import io.sluice.cacheservice.redis.RedisUnavailable;
import io.sluice.cacheservice.tag.Tags;
import io.sluice.common.auth.AdminOnly;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** Safe flush of one namespace: O(1) through its tag version, old keys swept in the background. Admin token ({@link AdminOnly}). */
@Path("/v1/cache/namespaces/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invalidation")
public class NamespacesResource {

    private static final Logger LOG = Logger.getLogger(NamespacesResource.class);

    /** What a flush did. */
    public record FlushResponse(String namespace, boolean flushed, String sweep) {
    }

    private final InvalidationService invalidation;
    private final NamespaceSweeper sweeper;

    public NamespacesResource(InvalidationService invalidation, NamespaceSweeper sweeper) {
        this.invalidation = invalidation;
        this.sweeper = sweeper;
    }

    @DELETE
    @AdminOnly
    @Operation(summary = "Flush one namespace", description = "O(1) through the namespace's tag version; old keys "
            + "are swept in the background (never FLUSHALL).")
    @APIResponse(responseCode = "200", description = "Flushed; the sweep started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = FlushResponse.class)))
    @APIResponse(responseCode = "503", description = "`cache-unavailable`: Redis cannot be reached; nothing flushed")
    public Uni<FlushResponse> flush(@PathParam("namespace") String namespace) {
        CacheKey.validateNamespace(namespace);
        return invalidation.invalidateTags(List.of(Tags.namespace(namespace)), "api")
                .invoke(() -> sweeper.sweep(namespace).subscribe().with(n -> {
                }, e -> LOG.warnf("sweep of namespace %s stopped: %s (keys left expire by their TTL)", namespace,
                        e.getMessage())))
                .map(tags -> new FlushResponse(namespace, true, "started"))
                .onFailure(RedisUnavailable.class).transform(e -> new ProblemException(
                        CacheServiceProblem.CACHE_UNAVAILABLE, "Redis cannot be reached; nothing was flushed", e));
    }
}
