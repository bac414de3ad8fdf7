package io.sluice.cacheservice.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
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
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.Envelope;
import io.sluice.cacheservice.entry.ValueAnswer;
import io.sluice.cacheservice.entry.ValueService;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** App-computed values: get (with a lease on a miss), put (with that lease or unconditionally), delete. */
@Path("/v1/cache/entries/{namespace}/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Values", description = "App-computed values: cache-aside with a fleet-wide lease per key")
public class EntriesResource {

    private final ValueService values;
    private final QueryRequests requests;
    private final CacheServiceConfig config;
    private final Clock clock;

    public EntriesResource(ValueService values, QueryRequests requests, CacheServiceConfig config, Clock clock) {
        this.values = values;
        this.requests = requests;
        this.config = config;
        this.clock = clock;
    }

    @PUT
    @Operation(summary = "Store a value", description = "With the X-Cache-Lease a miss handed out, only while that "
            + "lease is valid; without one, unconditionally.")
    @APIResponse(responseCode = "200", description = "The entry as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EntryResponse.class)))
    @APIResponse(responseCode = "400", description = "`value-too-large`: more than `cache-service.max-value-bytes`")
    @APIResponse(responseCode = "409", description = "`lease-lost`: the lease was revoked (delete, invalidation) or "
            + "expired; nothing stored")
    @APIResponse(responseCode = "503", description = "`cache-unavailable`: Redis cannot be reached")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<EntryResponse>> put(@PathParam("namespace") String namespace,
            @PathParam("key") String key, @HeaderParam(CacheHeaders.X_CACHE_LEASE) String lease,
            @Valid @NotNull PutEntryRequest request) {
        var cacheKey = new CacheKey(namespace, key);
        long ttl = requests.ttl(request.ttlSeconds());
        List<String> tags = requests.tags(request.tags());
        if (request.value().toString().getBytes(StandardCharsets.UTF_8).length > config.maxValueBytes()) {
            throw new ProblemException(CacheServiceProblem.VALUE_TOO_LARGE,
                    "value is larger than " + config.maxValueBytes() + " bytes of JSON");
        }
        return values.put(cacheKey, request.value(), ttl, tags, lease == null || lease.isBlank() ? null : lease)
                .map(e -> RestResponse.ResponseBuilder.ok(response(cacheKey, e)).build());
    }

    @GET
    @Operation(summary = "Read a value", description = "A miss hands the first caller of the fleet a lease "
            + "(X-Cache-Lease) to fill the key; the others wait for it or get the stale value.")
    @APIResponse(responseCode = "200", description = "The value (X-Cache: HIT or STALE, Age)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EntryResponse.class)),
            headers = { @Header(name = CacheHeaders.X_CACHE, description = "HIT or STALE"),
                @Header(name = CacheHeaders.AGE, description = "Seconds since it was stored") })
    @APIResponse(responseCode = "404", description = "`cache-miss`: nothing cached; X-Cache-Lease is set when this "
            + "caller should fill it",
            headers = @Header(name = CacheHeaders.X_CACHE_LEASE, description = "The lease to PUT the value with"))
    public Uni<RestResponse<EntryResponse>> get(@PathParam("namespace") String namespace,
            @PathParam("key") String key) {
        var cacheKey = new CacheKey(namespace, key);
        return values.get(cacheKey).map(answer -> found(cacheKey, answer));
    }

    @DELETE
    @Operation(summary = "Delete a value (and revoke its lease)")
    @APIResponse(responseCode = "204", description = "Deleted, or there was nothing")
    @APIResponse(responseCode = "503", description = "`cache-unavailable`: Redis cannot be reached")
    public Uni<Void> delete(@PathParam("namespace") String namespace, @PathParam("key") String key) {
        return values.delete(new CacheKey(namespace, key)).replaceWithVoid();
    }

    private RestResponse<EntryResponse> found(CacheKey key, ValueAnswer answer) {
        if (answer.envelope() == null) {
            Map<String, String> headers = answer.lease() == null
                    ? Map.of(CacheHeaders.X_CACHE, answer.status().name())
                    : Map.of(CacheHeaders.X_CACHE, answer.status().name(), CacheHeaders.X_CACHE_LEASE, answer.lease());
            throw new ProblemException(CacheServiceProblem.CACHE_MISS, "Nothing cached under " + key.id()
                    + (answer.lease() == null ? "" : "; you hold the lease to fill it (X-Cache-Lease)"))
                    .withHeaders(headers);
        }
        long now = clock.millis();
        return RestResponse.ResponseBuilder.ok(response(key, answer.envelope()))
                .header(CacheHeaders.X_CACHE, answer.status().name())
                .header(CacheHeaders.AGE, Long.toString(answer.envelope().ageSeconds(now)))
                .build();
    }

    private EntryResponse response(CacheKey key, Envelope e) {
        List<String> tags = e.tags().keySet().stream().filter(t -> !t.startsWith("ns:")).toList();
        return new EntryResponse(key.namespace(), key.key(), e.value(), e.ttlSeconds(clock.millis()), tags);
    }
}
