package io.sluice.cacheservice.lease;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.EntryStore;
import io.sluice.cacheservice.entry.Envelope;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.tag.TagStore;
import io.smallrye.mutiny.Uni;

/**
 * Stores a value under a lease. Refused when a tag was invalidated after the lease was issued (versions are Redis
 * times, like the token's prefix), when the lease was revoked or has expired (checked atomically with the write
 * by a script), or when the value is larger than {@code max-value-bytes}.
 */
@ApplicationScoped
public class LeaseFill {

    /** How a fill ended. */
    public enum Outcome {
        STORED, REJECTED, TOO_LARGE
    }

    private final EntryStore store;
    private final TagStore tagStore;
    private final NearCache near;
    private final CacheMetrics metrics;
    private final CacheServiceConfig config;
    private final Clock clock;

    public LeaseFill(EntryStore store, TagStore tagStore, NearCache near, CacheMetrics metrics,
            CacheServiceConfig config, Clock clock) {
        this.store = store;
        this.tagStore = tagStore;
        this.near = near;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Outcome> fill(CacheKey key, String token, List<String> tags,
            Function<Map<String, String>, Envelope> envelopeWithVersions) {
        long issued = EntryStore.issuedAt(token);
        return tagStore.versions(tags).chain(versions -> {
            boolean invalidatedSince = versions.values().stream().anyMatch(v -> Long.parseLong(v) > issued);
            if (invalidatedSince || issued < 0) {
                return done(Outcome.REJECTED, store.releaseLease(key, token));
            }
            Envelope envelope = envelopeWithVersions.apply(versions);
            String text = store.write(envelope);
            if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > config.maxValueBytes()) {
                return done(Outcome.TOO_LARGE, store.releaseLease(key, token));
            }
            return store.fill(key, token, text, envelope.redisExpiry() - clock.millis()).map(stored -> {
                if (stored) {
                    near.put(key, envelope);
                }
                metrics.recordFill(stored ? "stored" : "rejected");
                return stored ? Outcome.STORED : Outcome.REJECTED;
            });
        });
    }

    private Uni<Outcome> done(Outcome outcome, Uni<Void> release) {
        metrics.recordFill(outcome.name().toLowerCase(java.util.Locale.ROOT));
        return release.replaceWith(outcome);
    }
}
