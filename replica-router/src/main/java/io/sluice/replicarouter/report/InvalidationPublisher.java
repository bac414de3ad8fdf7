package io.sluice.replicarouter.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.sluice.common.requestid.RequestIds;
import io.sluice.common.tracing.Traceparents;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.common.sql.Lsn;
import io.smallrye.mutiny.Uni;

/**
 * After each committed write, appends the tables it touched to a Redis Stream (docs/streams.md), which
 * cache-service reads to invalidate. "*" means a write whose tables are unknown (e.g. inside a function).
 * The write has committed either way: a failure here is counted and logged, and never fails the response.
 */
@ApplicationScoped
public class InvalidationPublisher {

    public static final String ALL_TABLES = "*";
    private static final Logger LOG = Logger.getLogger(InvalidationPublisher.class);

    private final ReactiveStreamCommands<String, String, String> streams;
    private final RouterConfig config;
    private final RouterMetrics metrics;

    public InvalidationPublisher(ReactiveRedisDataSource redis, RouterConfig config, RouterMetrics metrics) {
        this.streams = redis.stream(String.class);
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
        return streams.xadd(config.invalidation().stream(),
                new XAddArgs().maxlen(config.invalidation().maxLength()).nearlyExactTrimming(), entry)
                .invoke(id -> metrics.recordInvalidation("published"))
                .replaceWithVoid()
                .onFailure().invoke(e -> {
                    metrics.recordInvalidation("failed");
                    LOG.warnf("invalidation for %s not published: %s", tables, e.getMessage());
                })
                .onFailure().recoverWithNull();
    }
}
