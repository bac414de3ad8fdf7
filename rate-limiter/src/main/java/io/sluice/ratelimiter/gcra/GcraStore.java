package io.sluice.ratelimiter.gcra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/** Runs the GCRA script in Redis: read, decide and write happen atomically on the server, on Redis time. */
@ApplicationScoped
public class GcraStore {

    private static final String SCRIPT = load("/gcra/gcra.lua");

    private final ReactiveRedisDataSource redis;

    public GcraStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** @param key full Redis key (already prefixed and hashed) */
    public Uni<Decision> check(String key, Duration interval, long burst, long cost, long limit) {
        long intervalMicros = Math.max(1, interval.toNanos() / 1000);
        return redis.execute("EVAL", SCRIPT, "1", key,
                Long.toString(intervalMicros), Long.toString(burst), Long.toString(cost))
                .map(reply -> toDecision(reply, limit));
    }

    private static Decision toDecision(Response reply, long limit) {
        return new Decision(reply.get(0).toInteger() == 1, limit, reply.get(1).toLong(),
                Duration.ofNanos(reply.get(2).toLong() * 1000), Duration.ofNanos(reply.get(3).toLong() * 1000));
    }

    private static String load(String resource) {
        try (InputStream in = GcraStore.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("Missing script " + resource, e));
        }
    }
}
