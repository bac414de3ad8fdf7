package io.sluice.ratelimiter.api;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.DefaultValue;
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

import io.sluice.common.auth.AdminOnly;
import io.sluice.ratelimiter.offenders.Offender;
import io.sluice.ratelimiter.offenders.OffendersStore;
import io.smallrye.mutiny.Uni;

/** RB-16 abuse: the keys with the most rejected requests in the last window (minute resolution). */
@AdminOnly
@Path("/v1/ratelimit/offenders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operator")
public class OffendersResource {

    private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,4})([mh])");

    public record Offenders(String window, List<Offender> offenders) {
    }

    private final OffendersStore store;

    public OffendersResource(OffendersStore store) {
        this.store = store;
    }

    @GET
    @Operation(summary = "The keys with the most rejected requests in a window (RB-16)")
    @APIResponse(responseCode = "200", description = "The offenders, most rejected first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Offenders.class)))
    @APIResponse(responseCode = "503", description = "`redis-unavailable`: Redis did not answer")
    public Uni<Offenders> top(@QueryParam("window") @DefaultValue("1h") String window,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        Matcher m = WINDOW.matcher(window);
        Duration d = m.matches() ? (m.group(2).equals("h") ? Duration.ofHours(Long.parseLong(m.group(1)))
                : Duration.ofMinutes(Long.parseLong(m.group(1)))) : null;
        if (d == null || d.compareTo(OffendersStore.MAX_WINDOW) > 0) {
            throw RateLimitResource.invalid("window", "must be minutes or hours up to 24h, e.g. 15m or 1h");
        }
        if (limit < 1 || limit > 100) {
            throw RateLimitResource.invalid("limit", "must be between 1 and 100");
        }
        return RedisFailures.as503(store.top(d, limit)).map(list -> new Offenders(window, list));
    }
}
