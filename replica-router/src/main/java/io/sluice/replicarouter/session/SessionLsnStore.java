package io.sluice.replicarouter.session;

import java.util.OptionalLong;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.common.hash.Hashes;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import org.jboss.logging.Logger;

import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.smallrye.mutiny.Uni;

/**
 * Read-your-writes across router instances: the last commit LSN of each Sluice-Session, kept in Redis with a TTL.
 * Only ever raised, atomically, so concurrent writes of one session cannot move it backwards.
 */
@ApplicationScoped
public class SessionLsnStore {

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final String RAISE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tonumber(ARGV[1]) > current then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            else
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 1""";

    private final ReactiveRedisDataSource redis;
    private static final Logger LOG = Logger.getLogger(SessionLsnStore.class);

    private final RouterConfig config;
    private final RouterMetrics metrics;

    public SessionLsnStore(ReactiveRedisDataSource redis, RouterConfig config, RouterMetrics metrics) {
        this.redis = redis;
        this.config = config;
        this.metrics = metrics;
    }

    /** Rejects a session id that is not safe to use as (part of) a key, before any work is done. */
    public static String validate(String sessionId) {
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "Sluice-Session must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
        }
        return sessionId;
    }

    /** After a committed write; if Redis is unreachable the write stands, and this is logged and counted. */
    public Uni<Void> raise(String sessionId, long lsn) {
        return redis.execute("EVAL", RAISE, "1", key(sessionId), Long.toUnsignedString(lsn),
                Long.toString(config.session().ttl().toMillis())).replaceWithVoid()
                .onFailure().invoke(e -> {
                    metrics.recordSessionFailure();
                    LOG.warnf("session LSN not saved (Redis: %s); later reads of this session may miss the write "
                            + "until the replicas catch up", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    /**
     * The session's last commit LSN. If Redis is unreachable the answer is "beyond every replica", so the read
     * goes to the primary, which always has the session's writes: slower, never stale.
     */
    public Uni<OptionalLong> lsnOf(String sessionId) {
        return redis.value(String.class).get(key(sessionId))
                .map(v -> v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseUnsignedLong(v)))
                .onFailure().invoke(e -> {
                    metrics.recordSessionFailure();
                    LOG.warnf("session LSN unknown (Redis: %s); reading from the primary", e.getMessage());
                })
                .onFailure().recoverWithItem(OptionalLong.of(Long.MAX_VALUE));
    }

    /** Session ids come from clients: Redis sees only a hash of them. */
    private static String key(String sessionId) {
        return "sluice:replicarouter:session:{" + Hashes.sha256Hex(sessionId, 16) + "}";
    }
}
