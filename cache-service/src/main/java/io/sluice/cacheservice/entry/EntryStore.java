package io.sluice.cacheservice.entry;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;

/** Cache entries in Redis as JSON text with a TTL; "not found" is a null item, not an error. */
@ApplicationScoped
public class EntryStore {

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final ObjectMapper json;

    public EntryStore(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.values = redis.value(String.class);
        this.keys = redis.key();
        this.json = json;
    }

    public Uni<Void> put(CacheKey key, JsonNode value, Duration ttl) {
        return values.set(key.redisKey(), write(value), new SetArgs().px(ttl));
    }

    public Uni<CachedValue> get(CacheKey key) {
        return values.get(key.redisKey()).chain(text -> text == null
                ? Uni.createFrom().nullItem()
                : keys.pttl(key.redisKey()).map(ms -> new CachedValue(read(text), Duration.ofMillis(Math.max(0, ms)))));
    }

    /** @return whether an entry was there */
    public Uni<Boolean> delete(CacheKey key) {
        return keys.del(key.redisKey()).map(n -> n > 0);
    }

    private String write(JsonNode value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt cache entry", e);
        }
    }
}
