package io.sluice.cacheservice.invalidation;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.common.sql.Lsn;
import io.smallrye.mutiny.Uni;

/**
 * The newest commit LSN among the router's writes that cache-service has applied, kept in Redis for the fleet.
 * It is raised before a write's tags are invalidated, and every load through the router asks for a node that has
 * replayed at least this far (Sluice-Min-Lsn). Otherwise a miss right after an invalidation could be loaded from
 * a replica that has not replayed the write yet, and the old rows cached again for a whole TTL.
 */
@ApplicationScoped
public class WrittenLsn {

    static final String KEY = "sluice:cacheservice:{writes}:lsn";
    private static final String RAISE = "local c = tonumber(redis.call('GET', KEYS[1]) or '0') "
            + "if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end return 1";

    private final ReactiveRedisDataSource redis;
    private final RedisGuard guard;

    public WrittenLsn(ReactiveRedisDataSource redis, RedisGuard guard) {
        this.redis = redis;
        this.guard = guard;
    }

    /** LSNs are below 2^53 in practice, so Lua's numbers compare them exactly. */
    public Uni<Void> raise(long lsn) {
        if (lsn <= 0) {
            return Uni.createFrom().voidItem();
        }
        return guard.call(redis.execute("EVAL", RAISE, "1", KEY, Long.toString(lsn))).replaceWithVoid();
    }

    /** The LSN a load must see, or empty when none is known (or Redis does not answer: the load goes on). */
    public Uni<Optional<String>> current() {
        return guard.call(redis.execute("GET", KEY))
                .map(r -> r == null ? Optional.<String>empty() : Optional.of(Lsn.format(r.toLong())))
                .onFailure().recoverWithItem(Optional.empty());
    }
}
