package io.sluice.replicarouter.failover;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * The primary chosen by the last failover, with an epoch, shared by all router instances in Redis. The epoch only
 * grows (set atomically), so an instance never switches back to a primary from an older failover.
 */
@ApplicationScoped
public class TopologyStore {

    static final String KEY = "sluice:replicarouter:{nodes}:topology";
    private static final String RECORD = """
            local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
            redis.call('HSET', KEYS[1], 'primary', ARGV[1], 'at', ARGV[2])
            return epoch""";

    private final ReactiveRedisDataSource redis;

    public TopologyStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** @return the new epoch */
    public Uni<Long> record(String primary) {
        return redis.execute("EVAL", RECORD, "1", KEY, primary, Long.toString(System.currentTimeMillis()))
                .map(r -> r.toLong());
    }

    public Uni<Topology> current() {
        return redis.hash(String.class).hgetall(KEY).map(TopologyStore::from);
    }

    private static Topology from(Map<String, String> fields) {
        String epoch = fields.get("epoch");
        String primary = fields.get("primary");
        return epoch == null || primary == null ? Topology.NONE : new Topology(Long.parseLong(epoch), primary);
    }
}
