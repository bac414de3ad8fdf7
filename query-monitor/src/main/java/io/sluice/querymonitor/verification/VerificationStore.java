package io.sluice.querymonitor.verification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.sluice.common.redis.RedisOutage;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.sluice.querymonitor.aggregate.AggregateKeys;

/**
 * Verifications in Redis (JSON, 7 days), and the set of running ones that every instance follows; one hash tag for
 * all of them (few, small), so the running ones are read in one MGET on a Redis Cluster too.
 */
@ApplicationScoped
public class VerificationStore {

    static final Duration TTL = Duration.ofDays(7);
    /** Every verification key shares the hash tag {verifications}: refreshActive reads them with one MGET. */
    private static final String ACTIVE = AggregateKeys.PREFIX + "{verifications}:active";

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, Verification> values;
    private final ActiveVerifications active;
    private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

    public VerificationStore(ReactiveRedisDataSource redis, ActiveVerifications active) {
        this.redis = redis;
        this.values = redis.value(Verification.class);
        this.active = active;
    }

    private static String key(String id) {
        return AggregateKeys.PREFIX + "{verifications}:" + id;
    }

    public Uni<Void> save(Verification v) {
        return RedisOutage.asProblem(values.setex(key(v.id()), TTL.toSeconds(), v)
                .chain(() -> redis.set(String.class).sadd(ACTIVE, v.id()))
                .chain(() -> redis.key().expire(ACTIVE, TTL))
                .chain(this::refreshActive), QueryMonitorProblem.REDIS_UNAVAILABLE);
    }

    public Uni<Verification> find(String id) {
        return RedisOutage.asProblem(values.get(key(id)), QueryMonitorProblem.REDIS_UNAVAILABLE);
    }

    /** Reloads the running verifications; expired ones leave the set. */
    public Uni<Void> refreshActive() {
        long read = reads.incrementAndGet();
        return redis.set(String.class).smembers(ACTIVE).chain(ids -> {
            if (ids.isEmpty()) {
                active.replace(Map.of(), read);
                return Uni.createFrom().voidItem();
            }
            List<String> list = new ArrayList<>(ids);
            return values.mget(list.stream().map(VerificationStore::key).toArray(String[]::new)).chain(found -> {
                Map<String, List<String>> byFingerprint = new HashMap<>();
                List<String> gone = new ArrayList<>();
                for (String id : list) {
                    Verification v = found.get(key(id));
                    if (v == null) {
                        gone.add(id);
                    } else {
                        v.fingerprints().forEach(fp -> byFingerprint.computeIfAbsent(fp, k -> new ArrayList<>()).add(id));
                    }
                }
                active.replace(byFingerprint, read);
                return gone.isEmpty() ? Uni.createFrom().voidItem()
                        : redis.set(String.class).srem(ACTIVE, gone.toArray(String[]::new)).replaceWithVoid();
            });
        });
    }
}
