package io.sluice.cacheservice.entry;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.ResponseType;
import org.jboss.logging.Logger;

/**
 * Entries and their leases in Redis. An entry is its {@link Envelope} as JSON, with a TTL that ends with its last
 * stale window. A lease is a token in a key beside the entry (same hash slot): the token starts with the Redis
 * time it was issued (µs), so a fill can be compared with tag invalidations that happened since. "Not found" is a
 * null item, never an error.
 */
@ApplicationScoped
public class EntryStore {

    private static final Logger LOG = Logger.getLogger(EntryStore.class);

    /**
     * With ARGV[3] = 1 the lease is only taken while the entry is absent: a request that read no entry must not start
     * a second load when the first loader stored its value (and freed the lease) between that read and this call.
     */
    private static final String ACQUIRE = """
            if ARGV[3] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            local t = redis.call('TIME')
            local token = string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])) .. '.' .. ARGV[1]
            if redis.call('SET', KEYS[1], token, 'NX', 'PX', ARGV[2]) then return token end
            return false
            """;
    /** A fill is stored only while its lease is the current one; a delete or invalidation removed it otherwise. */
    private static final String FILL = """
            if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            redis.call('DEL', KEYS[2])
            return 1
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;
    /** An unconditional write is newer than any load in flight: it also revokes the lease. */
    private static final String PUT = """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('DEL', KEYS[2])
            return 1
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final RedisGuard guard;
    private final ObjectMapper json;

    public EntryStore(ReactiveRedisDataSource redis, RedisGuard guard, ObjectMapper json) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.guard = guard;
        this.json = json;
    }

    /** The stored envelope, without checking its tags. */
    public Uni<Envelope> get(CacheKey key) {
        return guard.call(values.get(key.redisKey())).map(text -> text == null ? null : read(text));
    }

    /** What a lease request got: a token, or none because another loader holds it or the entry exists. */
    public record LeaseAttempt(String token, boolean entryExists) {
    }

    /**
     * A new lease token, or none when another loader holds the lease or ({@code unlessEntryExists}) an entry is
     * stored.
     */
    public Uni<LeaseAttempt> acquireLease(CacheKey key, long leaseMillis, boolean unlessEntryExists) {
        return guard.call(redis.execute("EVAL", ACQUIRE, "2", key.leaseKey(), key.redisKey(),
                UUID.randomUUID().toString(), Long.toString(leaseMillis), unlessEntryExists ? "1" : "0"))
                .map(r -> r == null ? new LeaseAttempt(null, false)
                        : r.type() == ResponseType.NUMBER ? new LeaseAttempt(null, true)
                        : new LeaseAttempt(r.toString(), false));
    }

    /** @return whether the fill was stored (false: the lease was revoked or had expired) */
    public Uni<Boolean> fill(CacheKey key, String token, String envelopeJson, long ttlMillis) {
        return guard.call(redis.execute("EVAL", FILL, "2", key.redisKey(), key.leaseKey(), token, envelopeJson,
                Long.toString(Math.max(1, ttlMillis)))).map(r -> r.toInteger() == 1);
    }

    public Uni<Void> releaseLease(CacheKey key, String token) {
        return guard.call(redis.execute("EVAL", RELEASE, "1", key.leaseKey(), token)).replaceWithVoid();
    }

    public Uni<Void> put(CacheKey key, Envelope envelope, long now) {
        return guard.call(redis.execute("EVAL", PUT, "2", key.redisKey(), key.leaseKey(), write(envelope),
                Long.toString(pxFrom(envelope, now)))).replaceWithVoid();
    }

    /** Removes the entry and revokes any lease on it, so a load in flight cannot store its older result. */
    public Uni<Boolean> delete(CacheKey key) {
        return guard.call(redis.execute("DEL", key.redisKey(), key.leaseKey())).map(r -> r.toInteger() > 0);
    }

    /** The Redis time (µs) a lease token was issued at. */
    public static long issuedAt(String token) {
        int dot = token.indexOf('.');
        try {
            return Long.parseLong(dot < 0 ? token : token.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String write(Envelope envelope) {
        try {
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be serialized", e);
        }
    }

    /** An entry this version cannot read (e.g. written by an older layout) is a miss, not an error. */
    private Envelope read(String text) {
        try {
            return json.readValue(text, Envelope.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable cache entry treated as a miss: %s", e.getOriginalMessage());
            return null;
        }
    }

    private static long pxFrom(Envelope envelope, long now) {
        return Math.max(1, envelope.redisExpiry() - now);
    }
}
