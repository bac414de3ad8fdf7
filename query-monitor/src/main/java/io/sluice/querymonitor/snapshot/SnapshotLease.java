package io.sluice.querymonitor.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.common.fleet.InstanceName;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.aggregate.AggregateKeys;
import io.sluice.querymonitor.config.QueryMonitorConfig;

/**
 * One snapshotter per database for the fleet, fenced: a lease in Redis ({@code SET NX PX}, renewed by its holder)
 * whose holder takes a fencing token ({@code INCR}), and the shared baseline the next snapshot is diffed against.
 * The baseline is replaced only by a script that checks the lease still holds the caller's token, so a holder that
 * was paused past its lease (another instance took over and moved the baseline on) cannot commit its interval: its
 * deltas are dropped, never counted twice. The baseline in Redis also makes a hand-over seamless: the new holder
 * diffs against what the old one committed. All three keys of a database share the hash tag {snapshot:<db>}.
 */
@ApplicationScoped
public class SnapshotLease {

    /** Holds the lease (renewing it) or takes it when free; returns the token, or 0 when another instance holds it. */
    private static final String ACQUIRE = """
            local v = redis.call('GET', KEYS[1])
            if v then
              local sep = string.find(v, ':', 1, true)
              if string.sub(v, sep + 1) == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return tonumber(string.sub(v, 1, sep - 1))
              end
              return 0
            end
            local t = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], t .. ':' .. ARGV[1], 'PX', ARGV[2])
            return t""";
    /** Replaces the baseline only while the lease is still this token's. */
    private static final String COMMIT = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[2], 'data', ARGV[2], 'taken', ARGV[3], 'holder', ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[4])
            return 1""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";
    private static final Duration BASELINE_TTL = Duration.ofHours(26);

    private final ReactiveRedisDataSource redis;
    private final String instance;
    private final long leaseMillis;

    public SnapshotLease(ReactiveRedisDataSource redis, QueryMonitorConfig config) {
        this.redis = redis;
        // host/pid plus a random part: two application starts in one JVM (tests) are two holders.
        this.instance = InstanceName.current() + "-" + UUID.randomUUID().toString().substring(0, 8);
        // Three intervals: a holder that misses two rounds (a long pause, a restart) is replaced.
        this.leaseMillis = config.snapshot().interval().multipliedBy(3).toMillis();
    }

    /** The shared baseline of a database and when it was taken (nulls: none yet). */
    public record Baseline(Snapshot snapshot, Instant takenAt) {
    }

    public String instance() {
        return instance;
    }

    /** @return this instance's fencing token for the database, or 0 while another instance holds its lease */
    public Uni<Long> acquire(String database) {
        return redis.execute("EVAL", ACQUIRE, "2", lease(database), fence(database), instance,
                Long.toString(leaseMillis)).map(r -> r.toLong());
    }

    public Uni<Baseline> baseline(String database) {
        return redis.hash(String.class).hgetall(baselineKey(database)).map(h -> {
            String data = h.get("data");
            Snapshot snapshot = null;
            if (data != null) {
                try {
                    snapshot = BaselineCodec.read(data);
                } catch (RuntimeException unreadable) {
                    snapshot = null; // a baseline this version cannot read: the next interval is skipped
                }
            }
            String taken = h.get("taken");
            return new Baseline(snapshot, taken == null ? null : Instant.ofEpochMilli(Long.parseLong(taken)));
        });
    }

    /** The instance that holds the database's lease, or null when none does. */
    public Uni<String> holder(String database) {
        return redis.value(String.class).get(lease(database))
                .map(v -> v == null ? null : v.substring(v.indexOf(':') + 1));
    }

    /** @return whether the snapshot became the baseline (false: this token was fenced out) */
    public Uni<Boolean> commit(String database, long token, Snapshot snapshot) {
        return redis.execute("EVAL", COMMIT, "2", lease(database), baselineKey(database), token + ":" + instance,
                BaselineCodec.write(snapshot), Long.toString(snapshot.takenAt().toEpochMilli()),
                Long.toString(BASELINE_TTL.toSeconds())).map(r -> r.toInteger() == 1);
    }

    /** Lets another instance take over at once (shutdown); a failure only means the lease runs out by itself. */
    public Uni<Void> release(String database, long token) {
        return redis.execute("EVAL", RELEASE, "1", lease(database), token + ":" + instance).replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    static String lease(String database) {
        return AggregateKeys.PREFIX + "{snapshot:" + database + "}:lease";
    }

    static String fence(String database) {
        return AggregateKeys.PREFIX + "{snapshot:" + database + "}:fence";
    }

    static String baselineKey(String database) {
        return AggregateKeys.PREFIX + "{snapshot:" + database + "}:baseline";
    }
}
