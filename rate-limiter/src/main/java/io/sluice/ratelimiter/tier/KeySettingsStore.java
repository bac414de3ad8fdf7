package io.sluice.ratelimiter.tier;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.ratelimiter.gcra.KeyChange;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.smallrye.mutiny.Uni;

/**
 * A key's tier and overrides, in a hash beside its counters (same hash tag): {@code v} a fresh random version
 * on every change, {@code s} the settings as JSON, {@code c} the change time ({@link KeyChange}). The GCRA script
 * compares {@code v} on every check, so a change made on any instance applies to the next request everywhere.
 * Operator-set configuration, so no TTL.
 */
@ApplicationScoped
public class KeySettingsStore {

    /** The stored JSON. */
    public record Stored(String tier, Map<String, PolicySpec> overrides) {
    }

    /** What a save stored, and the key's change time it recorded ({@link KeyChange}). */
    public record Saved(KeySettings settings, long change) {
    }

    private static final String SAVE = "local settings = KEYS[1] "
            + "redis.call('HSET', settings, 'v', ARGV[1], 's', ARGV[2]) " + KeyChange.BUMP;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;

    public KeySettingsStore(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    public Uni<Saved> save(String keyHash, Tier tier, Map<String, PolicySpec> overrides) {
        String version = UUID.randomUUID().toString();
        try {
            String text = json.writeValueAsString(new Stored(tier.id(), overrides));
            return redis.execute("EVAL", SAVE, "1", RedisKeys.settings(keyHash), version, text)
                    .map(change -> new Saved(new KeySettings(version, tier, overrides), change.toLong()));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** Parses what the script returned with a stale-settings answer. */
    public KeySettings parse(String version, String text) {
        if ("0".equals(version) || text == null || text.isEmpty()) {
            return KeySettings.NONE;
        }
        try {
            Stored stored = json.readValue(text, Stored.class);
            Map<String, PolicySpec> overrides = stored.overrides() == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stored.overrides()));
            return new KeySettings(version, Tier.parse(stored.tier()).orElse(null), overrides);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored settings of a key are not readable", e);
        }
    }
}
