package io.sluice.cacheservice.warm;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Uni;

/**
 * Warming progress in Redis, so a job started on one instance is followed on any: written when the job starts,
 * after each batch and when it ends, kept {@link #KEEP} after the last write.
 */
@ApplicationScoped
public class WarmProgressStore {

    static final Duration KEEP = Duration.ofHours(1);

    private final ReactiveValueCommands<String, String> values;
    private final RedisGuard guard;
    private final ObjectMapper json;

    public WarmProgressStore(ReactiveRedisDataSource redis, RedisGuard guard, ObjectMapper json) {
        this.values = redis.value(String.class);
        this.guard = guard;
        this.json = json;
    }

    static String key(String id) {
        return "sluice:cacheservice:warm:{" + id + "}";
    }

    public Uni<Void> save(WarmProgress progress) {
        try {
            return guard.call(values.setex(key(progress.id()), KEEP.toSeconds(), json.writeValueAsString(progress)));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** The job's progress, or null when no instance wrote it in the last hour. */
    public Uni<WarmProgress> find(String id) {
        return guard.call(values.get(key(id))).map(text -> {
            if (text == null) {
                return null;
            }
            try {
                return json.readValue(text, WarmProgress.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        });
    }
}
