package io.sluice.querymonitor.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.sluice.common.redis.RedisOutage;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.sluice.querymonitor.config.QueryMonitorConfig;

/**
 * Aggregates in Redis: every instance adds its drained aggregates with commutative increments (so instances
 * merge), and any instance reads a window back for the whole fleet. Commands of one flush or read share one
 * connection and are pipelined, at most {@link #CHUNK} in flight.
 */
@ApplicationScoped
public class AggregateStore {

    private static final int CHUNK = 500;
    /** KEYS[1] the hash; ARGV[1] ttl seconds, ARGV[2] max µs, then field/increment pairs. */
    private static final String ADD_SCRIPT = """
            local k = KEYS[1]
            for i = 3, #ARGV, 2 do redis.call('HINCRBY', k, ARGV[i], ARGV[i + 1]) end
            local m = tonumber(redis.call('HGET', k, 'm') or '0')
            if tonumber(ARGV[2]) > m then redis.call('HSET', k, 'm', ARGV[2]) end
            redis.call('EXPIRE', k, ARGV[1])
            return 1""";
    /** KEYS[1] the meta hash; ARGV[1] ttl, ARGV[2] last seen ms, ARGV[3] normalized text or "". */
    private static final String META_SCRIPT = """
            local k = KEYS[1]
            redis.call('HSETNX', k, 'first', ARGV[2])
            local last = tonumber(redis.call('HGET', k, 'last') or '0')
            if tonumber(ARGV[2]) > last then redis.call('HSET', k, 'last', ARGV[2]) end
            if ARGV[3] ~= '' then redis.call('HSET', k, 'sql', ARGV[3]) end
            redis.call('EXPIRE', k, ARGV[1])
            return 1""";
    private static final Duration META_TTL = Duration.ofHours(26);

    private final ReactiveRedisDataSource redis;
    private final QueryMonitorConfig config;

    public AggregateStore(ReactiveRedisDataSource redis, QueryMonitorConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Writes a drained batch; fails as a whole if Redis fails, so the caller can put the aggregates back. */
    public Uni<Void> write(Aggregator.Drained drained) {
        List<Function<ReactiveRedisDataSource, Uni<?>>> commands = new ArrayList<>();
        drained.aggregates().forEach((target, agg) -> {
            List<String> args = new ArrayList<>(List.of("EVAL", ADD_SCRIPT, "1", target.hashKey(),
                    Long.toString(target.ttl().toSeconds()), Long.toString(agg.maxUs())));
            args.addAll(agg.increments());
            commands.add(ds -> ds.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new)));
            if (target.indexKey() != null) {
                double score = agg.totalMs() + agg.statementTotalMs();
                commands.add(ds -> ds.sortedSet(String.class).zincrby(target.indexKey(), score, target.member()));
                commands.add(ds -> ds.key().expire(target.indexKey(), target.ttl()));
            }
        });
        for (Aggregator.FingerprintMeta m : drained.metas()) {
            commands.add(ds -> ds.execute("EVAL", META_SCRIPT, "1", AggregateKeys.meta(m.fingerprint()),
                    Long.toString(META_TTL.toSeconds()), Long.toString(m.lastSeenMs()),
                    m.normalized() == null ? "" : m.normalized()));
        }
        for (Aggregator.RetainedSample s : drained.retained()) {
            commands.add(ds -> ds.value(Aggregator.RetainedSample.class).set(
                    AggregateKeys.retainedSample(s.fingerprint()), s,
                    new SetArgs().nx().ex(config.explain().sampleTtl())));
        }
        return run(commands).replaceWithVoid();
    }

    /** Member ("fingerprint|database") to its aggregate over these buckets. */
    public Uni<Map<String, Aggregate>> read(Window.Resolution res, List<Long> buckets, List<String> members) {
        List<Function<ReactiveRedisDataSource, Uni<?>>> commands = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (String member : members) {
            int bar = member.indexOf('|');
            for (long b : buckets) {
                String key = AggregateKeys.bucket(member.substring(0, bar), member.substring(bar + 1), res, b);
                owners.add(member);
                commands.add(ds -> ds.hash(String.class).hgetall(key));
            }
        }
        return run(commands).map(results -> {
            Map<String, Aggregate> out = new LinkedHashMap<>();
            for (int i = 0; i < results.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, String> hash = (Map<String, String>) results.get(i);
                if (hash != null && !hash.isEmpty()) {
                    out.computeIfAbsent(owners.get(i), k -> new Aggregate(config.aggregation().relativeAccuracy()))
                            .addFromRedis(hash);
                }
            }
            return out;
        });
    }

    /** The aggregate stored under one hash key (a verification's "after" figures), empty when absent. */
    public Uni<Aggregate> readKey(String key) {
        return unavailableAs503(redis.hash(String.class).hgetall(key)).map(hash -> {
            Aggregate agg = new Aggregate(config.aggregation().relativeAccuracy());
            agg.addFromRedis(hash);
            return agg;
        });
    }

    /** Members of the window's buckets with their total time (ms), largest first, at most {@code limit}. */
    public Uni<List<Map.Entry<String, Double>>> members(Window window, Instant now, int limit) {
        List<Function<ReactiveRedisDataSource, Uni<?>>> commands = new ArrayList<>();
        for (long b : window.buckets(now)) {
            String key = AggregateKeys.index(window.resolution(), b);
            commands.add(ds -> ds.sortedSet(String.class).zrangeWithScores(key, 0, -1));
        }
        return run(commands).map(results -> {
            Map<String, Double> totals = new HashMap<>();
            for (Object r : results) {
                @SuppressWarnings("unchecked")
                var values = (List<io.quarkus.redis.datasource.sortedset.ScoredValue<String>>) r;
                values.forEach(v -> totals.merge(v.value(), v.score(), Double::sum));
            }
            return totals.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(limit).toList();
        });
    }

    /** Fingerprint to its stored metadata (sql, first, last); fingerprints without metadata are left out. */
    public Uni<Map<String, Map<String, String>>> metas(List<String> fingerprints) {
        List<Function<ReactiveRedisDataSource, Uni<?>>> commands = new ArrayList<>();
        for (String fp : fingerprints) {
            commands.add(ds -> ds.hash(String.class).hgetall(AggregateKeys.meta(fp)));
        }
        return run(commands).map(results -> {
            Map<String, Map<String, String>> out = new HashMap<>();
            for (int i = 0; i < results.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, String> hash = (Map<String, String>) results.get(i);
                if (hash != null && !hash.isEmpty()) {
                    out.put(fingerprints.get(i), hash);
                }
            }
            return out;
        });
    }

    public Uni<Aggregator.RetainedSample> retainedSample(String fingerprint) {
        return unavailableAs503(redis.value(Aggregator.RetainedSample.class)
                .get(AggregateKeys.retainedSample(fingerprint)));
    }

    /** Runs the commands on one connection, CHUNK at a time, results in order. */
    private Uni<List<Object>> run(List<Function<ReactiveRedisDataSource, Uni<?>>> commands) {
        if (commands.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> results = new ArrayList<>(commands.size());
        return unavailableAs503(redis.withConnection(ds -> chunk(ds, commands, 0, results).replaceWithVoid()))
                .map(ignored -> results);
    }

    /** The API reads these for the fleet: without Redis that is a documented 503, never a 500. */
    static <T> Uni<T> unavailableAs503(Uni<T> redisCommands) {
        return RedisOutage.asProblem(redisCommands, QueryMonitorProblem.REDIS_UNAVAILABLE);
    }

    private Uni<List<Object>> chunk(ReactiveRedisDataSource ds,
            List<Function<ReactiveRedisDataSource, Uni<?>>> commands, int from, List<Object> acc) {
        if (from >= commands.size()) {
            return Uni.createFrom().item(acc);
        }
        List<Uni<Object>> unis = new ArrayList<>();
        for (int i = from; i < Math.min(from + CHUNK, commands.size()); i++) {
            unis.add(commands.get(i).apply(ds).map(item -> (Object) item));
        }
        return Uni.join().all(unis).andFailFast().chain(results -> {
            acc.addAll(results);
            return chunk(ds, commands, from + CHUNK, acc);
        });
    }
}
