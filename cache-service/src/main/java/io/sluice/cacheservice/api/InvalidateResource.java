package io.sluice.cacheservice.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.cacheservice.CacheServiceProblem;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.invalidation.InvalidationService;
import io.sluice.cacheservice.redis.RedisUnavailable;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** Cascade invalidation by tags (following implications) and by keys. */
@Path("/v1/cache/invalidate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Invalidation", description = "Tag cascades, keys, namespaces, NOTIFY triggers")
public class InvalidateResource {

    private static final int MAX_KEYS = 1000;

    private final InvalidationService invalidation;
    private final QueryRequests requests;

    public InvalidateResource(InvalidationService invalidation, QueryRequests requests) {
        this.invalidation = invalidation;
        this.requests = requests;
    }

    @POST
    @Operation(summary = "Invalidate by tags (following implications) and by keys")
    @APIResponse(responseCode = "200", description = "Every tag invalidated (implied ones too) and the keys removed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InvalidateResponse.class)))
    @APIResponse(responseCode = "503", description = "`cache-unavailable`: Redis cannot be reached; retry")
    public Uni<InvalidateResponse> invalidate(@Valid @NotNull InvalidateRequest request) {
        List<String> tags = requests.tags(request.tags());
        List<InvalidateRequest.KeyRef> refs = request.keys() == null ? List.of() : request.keys();
        if (tags.isEmpty() && refs.isEmpty()) {
            throw QueryRequests.invalid("give tags and/or keys");
        }
        if (refs.size() > MAX_KEYS) {
            throw QueryRequests.invalid("at most " + MAX_KEYS + " keys");
        }
        List<CacheKey> keys = new ArrayList<>();
        for (var ref : refs) {
            if (ref == null) {
                throw QueryRequests.invalid("a key must be {\"namespace\", \"key\"}");
            }
            keys.add(new CacheKey(ref.namespace(), ref.key()));
        }
        return invalidation.invalidateTags(tags, "api")
                .chain(all -> invalidation.invalidateKeys(keys, "api")
                        .map(n -> new InvalidateResponse(List.copyOf(all), n)))
                .onFailure(RedisUnavailable.class).transform(e -> new ProblemException(
                        CacheServiceProblem.CACHE_UNAVAILABLE, "Redis cannot be reached; retry", e));
    }
}
