package io.sluice.replicarouter.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.common.requestid.RequestIds;
import io.sluice.common.tracing.Traceparents;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.common.sql.Lsn;
import io.smallrye.mutiny.Uni;

/**
 * After each committed write, appends the tables it touched to a Redis Stream (docs/streams.md), which
 * cache-service reads to invalidate. "*" means a write whose tables are unknown (e.g. inside a function). The same
 * script records, per table, the id of the last entry that named it ({@code <stream>:tables}, same hash tag), so a
 * consumer that finds entries trimmed before it read them knows which tables they touched. The write has committed
 * either way: a failure here is counted and logged, and never fails the response.
 */
@ApplicationScoped
public class InvalidationPublisher {

    public static final String ALL_TABLES = "*";
    /**
     * KEYS[1] the stream, KEYS[2] its table marks; ARGV[1] the approximate max length, ARGV[2] the number n of
     * field/value pairs, then the pairs, then the tables. {@code _added} counts every entry marked, so a consumer can
     * tell whether every entry was (entries-added of XINFO STREAM).
     */
    private static final String APPEND = """
            local n = tonumber(ARGV[2])
            local fields = {}
            for i = 1, 2 * n do fields[i] = ARGV[2 + i] end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
            for i = 3 + 2 * n, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], id) end
            redis.call('HINCRBY', KEYS[2], '_added', 1)
            return id""";
    private static final Logger LOG = Logger.getLogger(InvalidationPublisher.class);

    private final ReactiveRedisDataSource redis;
    private final RouterConfig config;
    private final RouterMetrics metrics;

    public InvalidationPublisher(ReactiveRedisDataSource redis, RouterConfig config, RouterMetrics metrics) {
        this.redis = redis;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Void> publish(Set<String> tables, long commitLsn, String node) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("tables", String.join(",", tables));
        entry.put("lsn", Lsn.format(commitLsn));
        entry.put("node", node);
        entry.put("at", Long.toString(System.currentTimeMillis()));
        String requestId = RequestIds.current();
        if (requestId != null) {
            entry.put("requestId", requestId);
        }
        // The write's trace, so the consumer's invalidation span can point back at it (docs/streams.md).
        String traceparent = Traceparents.current();
        if (traceparent != null) {
            entry.put(Traceparents.FIELD, traceparent);
        }
        List<String> args = new ArrayList<>(List.of("EVAL", APPEND, "2", config.invalidation().stream(),
                tableMarks(config.invalidation().stream()), Long.toString(config.invalidation().maxLength()),
                Integer.toString(entry.size())));
        entry.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        args.addAll(tables);
        return redis.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new))
                .invoke(id -> metrics.recordInvalidation("published"))
                .replaceWithVoid()
                .onFailure().invoke(e -> {
                    metrics.recordInvalidation("failed");
                    LOG.warnf("invalidation for %s not published: %s", tables, e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    /** The stream's table marks: same hash tag as the stream, so one script writes both on a Redis Cluster. */
    public static String tableMarks(String stream) {
        return stream + ":tables";
    }
}
