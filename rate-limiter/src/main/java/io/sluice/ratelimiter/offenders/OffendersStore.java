package io.sluice.ratelimiter.offenders;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Rejections per key in one sorted set per minute, trimmed to the top {@code keep-per-minute} and kept 25 h:
 * memory stays bounded however many keys there are. A window's list is the union of its minutes.
 */
@ApplicationScoped
public class OffendersStore {

    public static final Duration MAX_WINDOW = Duration.ofHours(24);
    private static final long KEEP_SECONDS = Duration.ofHours(25).toSeconds();

    private final ReactiveRedisDataSource redis;
    private final Clock clock;
    private final int keep;

    public OffendersStore(ReactiveRedisDataSource redis, Clock clock, RateLimiterConfig config) {
        this.redis = redis;
        this.clock = clock;
        this.keep = config.offenders().keepPerMinute();
    }

    public Uni<Void> add(Map<String, LongAdder> counts) {
        if (counts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String key = RedisKeys.offenders(clock.millis() / 60_000);
        List<String> args = new ArrayList<>();
        args.add(key);
        counts.forEach((hash, n) -> {
            args.add(Long.toString(n.sum()));
            args.add(hash);
        });
        // ZADD INCR takes one member; a pipeline of ZINCRBY would too. A small script adds all, trims, expires.
        return redis.execute("EVAL", ADD_SCRIPT, "1", key, Integer.toString(keep), Long.toString(KEEP_SECONDS),
                String.join(" ", args.subList(1, args.size()))).replaceWithVoid();
    }

    public Uni<List<Offender>> top(Duration window, int limit) {
        long last = clock.millis() / 60_000;
        long minutes = Math.max(1, window.toMinutes());
        List<String> args = new ArrayList<>();
        args.add(Long.toString(minutes));
        for (long m = last - minutes + 1; m <= last; m++) {
            args.add(RedisKeys.offenders(m));
        }
        args.add("AGGREGATE");
        args.add("SUM");
        args.add("WITHSCORES");
        return redis.execute("ZUNION", args.toArray(String[]::new)).map(reply -> toOffenders(reply, limit));
    }

    private static List<Offender> toOffenders(Response reply, int limit) {
        List<Offender> all = new ArrayList<>();
        for (int i = 0; i < reply.size(); i++) {
            Response item = reply.get(i);
            if (item.type() == ResponseType.MULTI) { // RESP3 pairs
                all.add(new Offender(item.get(0).toString(), item.get(1).toDouble().longValue()));
            } else { // RESP2 flat list
                all.add(new Offender(item.toString(), reply.get(++i).toDouble().longValue()));
            }
        }
        all.sort((a, b) -> Long.compare(b.rejected(), a.rejected()));
        return all.subList(0, Math.min(limit, all.size()));
    }

    private static final String ADD_SCRIPT = """
            local count = nil
            for word in string.gmatch(ARGV[3], '%S+') do
              if count == nil then count = word else
                redis.call('ZINCRBY', KEYS[1], count, word)
                count = nil
              end
            end
            redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[1]) - 1)
            redis.call('EXPIRE', KEYS[1], ARGV[2])
            return 1
            """;
}
