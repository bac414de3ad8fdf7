package io.sluice.cacheservice.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * SCAN over every master. On a Redis Cluster each master holds its own keys, and a SCAN sent through the client
 * reaches one of them. So the SCAN runs inside a one-line script whose one declared key hashes to a slot of the
 * master to scan: the client routes it there, with the connection settings (auth, TLS) it already has. A
 * standalone Redis is one master. Never KEYS.
 */
@ApplicationScoped
public class KeyScan {

    private static final String SCAN = "return redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])";
    private static final String ROUTE = "sluice:cacheservice:scan:{";

    private final ReactiveRedisDataSource redis;
    private final RedisGuard guard;
    private final RedisTopology topology;

    public KeyScan(ReactiveRedisDataSource redis, RedisGuard guard, RedisTopology topology) {
        this.redis = redis;
        this.guard = guard;
        this.topology = topology;
    }

    /**
     * Hands each batch of keys matching {@code match} to {@code batch}, master after master, until every master
     * was scanned or {@code batch} answers false.
     */
    public Uni<Void> forEachBatch(String match, int count, Function<List<String>, Uni<Boolean>> batch) {
        return routes().chain(routes -> next(routes, 0, "0", match, count, batch));
    }

    private Uni<Void> next(List<String> routes, int master, String cursor, String match, int count,
            Function<List<String>, Uni<Boolean>> batch) {
        if (master >= routes.size()) {
            return Uni.createFrom().voidItem();
        }
        return guard.call(redis.execute("EVAL", SCAN, "1", routes.get(master), cursor, match, Integer.toString(count)))
                .chain(reply -> {
                    String nextCursor = reply.get(0).toString();
                    List<String> keys = new ArrayList<>();
                    reply.get(1).forEach(k -> keys.add(k.toString()));
                    return batch.apply(keys).chain(more -> !more ? Uni.createFrom().voidItem()
                            : "0".equals(nextCursor) ? next(routes, master + 1, "0", match, count, batch)
                            : next(routes, master, nextCursor, match, count, batch));
                });
    }

    /** One key per master that routes a script to it: {@code CLUSTER SLOTS} names each master's slot ranges. */
    private Uni<List<String>> routes() {
        if (!topology.clustered()) {
            return Uni.createFrom().item(List.of(ROUTE + "0}"));
        }
        return guard.call(redis.execute("CLUSTER", "SLOTS")).map(KeyScan::routesOf);
    }

    static List<String> routesOf(Response slots) {
        Map<String, int[]> rangeByMaster = new LinkedHashMap<>();
        for (Response range : slots) {
            Response master = range.get(2);
            rangeByMaster.putIfAbsent(master.get(0) + ":" + master.get(1),
                    new int[] {range.get(0).toInteger(), range.get(1).toInteger()});
        }
        List<String> routes = new ArrayList<>();
        for (int[] range : rangeByMaster.values()) {
            for (int i = 0;; i++) {
                int slot = RedisSlots.slot(ROUTE + i + "}");
                if (slot >= range[0] && slot <= range[1]) {
                    routes.add(ROUTE + i + "}");
                    break;
                }
            }
        }
        return routes;
    }
}
