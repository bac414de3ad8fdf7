package io.sluice.partitionmanager.maintenance;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.sluice.common.fleet.InstanceName;
import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;

/**
 * Exactly one instance runs maintenance: a Redis lock (SET NX PX, released only by its holder) whose holder takes a
 * fencing token (INCR), then a PostgreSQL session advisory lock on the connection that runs the DDL, then the token
 * is recorded as the newest PostgreSQL has seen ({@code sluice_partman.fence}); the holder re-checks it before every
 * step and stops once a newer one is there. An instance that gets the Redis lock and a token while another still
 * holds the advisory lock is looking at a holder whose Redis lease expired (paused, or slower than the lock TTL): it
 * records its newer token anyway (superseded), so that holder stops at its next step, and does not run itself. A
 * token older than the Redis counter is refused (stale); a Redis counter behind PostgreSQL (Redis restarted empty)
 * is moved past it once. With Redis unreachable the PostgreSQL advisory lock alone still excludes other instances
 * (it is taken on the database being changed); the token then comes from PostgreSQL. Blocking: call on a worker
 * thread.
 */
@ApplicationScoped
public class MaintenanceLock {

    public static final String LOCK_KEY = "sluice:partitionmanager:{maintenance}:lock";
    public static final String FENCE_KEY = "sluice:partitionmanager:{maintenance}:fence";
    /** pg_advisory_lock key of maintenance: hashtext('sluice_partman.maintenance'). */
    public static final String ADVISORY_KEY = "hashtext('sluice_partman.maintenance')";

    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end""";

    private static final String RAISE = """
            local c = tonumber(redis.call('GET', KEYS[1]) or '0')
            if c < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
            return 1""";

    private static final Logger LOG = Logger.getLogger(MaintenanceLock.class);

    /** A held lock: the connection that holds the advisory lock must run the DDL. */
    public record Lease(Connection connection, long fencingToken, String mode, String redisValue) {
    }

    private final RedisDataSource redis;
    private final DataSource dataSource;
    private final PartitionManagerConfig config;
    private final PartitionManagerMetrics metrics;
    private final String instanceId = InstanceName.current();

    public MaintenanceLock(RedisDataSource redis, DataSource dataSource, PartitionManagerConfig config,
            PartitionManagerMetrics metrics) {
        this.redis = redis;
        this.dataSource = dataSource;
        this.config = config;
        this.metrics = metrics;
    }

    /** Empty when another instance holds the lock (or a newer token was already used). */
    public Optional<Lease> acquire() throws SQLException {
        String value = instanceId + ":" + UUID.randomUUID();
        Long redisToken;
        try {
            var set = redis.execute("SET", LOCK_KEY, value, "NX", "PX", Long.toString(config.lock().ttl().toMillis()));
            if (set == null) {
                metrics.recordLock("busy");
                return Optional.empty();
            }
            redisToken = redis.execute("INCR", FENCE_KEY).toLong();
        } catch (RuntimeException e) {
            LOG.warnf("Redis unreachable for the maintenance lock (%s); relying on the PostgreSQL advisory lock alone",
                    e.getMessage());
            metrics.recordLock("redis_unavailable");
            value = null;
            redisToken = null;
        }
        Connection c = dataSource.getConnection();
        try {
            // Catalog reads of a run can wait on locks too (pg_get_expr opens the partition): none waits forever.
            try (var st = c.createStatement()) {
                st.execute("SET lock_timeout = " + config.ddl().lockTimeout().toMillis());
            }
            if (!tryAdvisoryLock(c)) {
                // Holding the Redis lock means the advisory lock's holder outlived its Redis lease: fence it out.
                boolean superseded = redisToken != null && fence(c, redisToken);
                if (superseded) {
                    LOG.warnf("The maintenance holder outlived its Redis lease (lock.ttl %s); token %d supersedes "
                            + "it: it stops before its next step", config.lock().ttl(), redisToken);
                }
                metrics.recordLock(superseded ? "superseded" : "busy");
                c.close();
                releaseRedis(value);
                return Optional.empty();
            }
            long token = redisToken == null ? currentPgToken(c) : redisToken;
            boolean fenced = redisToken == null || fence(c, token);
            if (!fenced && !newerTokenIssued(token)) {
                // Redis lost its counter (restart without persistence): move it past PostgreSQL's token and try once
                // more; a newer holder would still win that race.
                repairCounter(c);
                token = redis.execute("INCR", FENCE_KEY).toLong();
                fenced = fence(c, token);
            }
            if (!fenced) {
                LOG.warnf("Fencing token %d is older than one PostgreSQL has seen: not running", token);
                metrics.recordLock("stale");
                release(new Lease(c, token, "stale", value));
                return Optional.empty();
            }
            metrics.recordLock(redisToken == null ? "pg_only" : "acquired");
            return Optional.of(new Lease(c, token, redisToken == null ? "pg-only" : "redis+pg", value));
        } catch (SQLException | RuntimeException e) {
            c.close();
            releaseRedis(value);
            throw e;
        }
    }

    /** Whether the lease's token is still the newest PostgreSQL has seen: checked before each set and step. */
    public boolean stillFenced(Lease lease) throws SQLException {
        try (var st = lease.connection().prepareStatement("SELECT token = ? FROM sluice_partman.fence WHERE id = 1")) {
            st.setLong(1, lease.fencingToken());
            try (var rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    public void release(Lease lease) {
        try (var st = lease.connection().createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + ADVISORY_KEY + ")");
            st.execute("RESET lock_timeout");
        } catch (SQLException e) {
            LOG.warnf("Advisory unlock failed (the session end releases it): %s", e.getMessage());
        }
        try {
            lease.connection().close();
        } catch (SQLException e) {
            LOG.debugf("close: %s", e.getMessage());
        }
        releaseRedis(lease.redisValue());
    }

    private void releaseRedis(String value) {
        if (value == null) {
            return;
        }
        try {
            redis.execute("EVAL", RELEASE, "1", LOCK_KEY, value);
        } catch (RuntimeException e) {
            LOG.warnf("Redis lock not released (it expires by its TTL): %s", e.getMessage());
        }
    }

    private static boolean tryAdvisoryLock(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT pg_try_advisory_lock(" + ADVISORY_KEY + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Records the token unless PostgreSQL already saw a newer one. */
    private static boolean fence(Connection c, long token) throws SQLException {
        try (var st = c.prepareStatement("UPDATE sluice_partman.fence SET token = ? WHERE id = 1 AND token < ?")) {
            st.setLong(1, token);
            st.setLong(2, token);
            return st.executeUpdate() == 1;
        }
    }

    /**
     * Whether Redis handed out a newer token than this one since: a newer holder exists, this one is stale. Redis
     * failing just now counts as yes: not running is the safe answer when it cannot be told.
     */
    private boolean newerTokenIssued(long token) {
        try {
            var current = redis.execute("GET", FENCE_KEY);
            return current != null && current.toLong() > token;
        } catch (RuntimeException e) {
            LOG.warnf("Fencing counter unreadable (%s): not running this time", e.getMessage());
            return true;
        }
    }

    /** Without Redis, the run reuses PostgreSQL's newest token, so Redis tokens stay ahead once Redis is back. */
    private static long currentPgToken(Connection c) throws SQLException {
        try (var st = c.createStatement();
                var rs = st.executeQuery("SELECT token FROM sluice_partman.fence WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** After Redis lost its counter, moves it past PostgreSQL's token so the next holder is not refused forever. */
    private void repairCounter(Connection c) {
        try {
            redis.execute("EVAL", RAISE, "1", FENCE_KEY, Long.toString(currentPgToken(c)));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Fencing counter not repaired: %s", e.getMessage());
        }
    }
}
