package io.sluice.cacheservice.invalidation;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.redis.RedisGuard;
import io.sluice.cacheservice.tag.Tags;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * What to invalidate when write-stream entries were removed before the group read them (trimmed, or deleted).
 * replica-router marks, per table, the id of the last entry that named it ({@code <stream>:tables}, docs/streams.md,
 * written in the same script as each entry): the tables marked after the group's last delivered entry are the only
 * ones whose writes can have been missed, and only they are invalidated. When that cannot be known (the marks do not
 * count every entry the stream ever had, e.g. a producer that does not mark; a write of unknown tables among them),
 * every query result is invalidated through the rate-limited fail safe.
 */
@ApplicationScoped
public class StreamGaps {

    private static final Logger LOG = Logger.getLogger(StreamGaps.class);
    private static final String ADDED = "_added";

    private final ReactiveRedisDataSource redis;
    private final InvalidationService invalidation;
    private final FailSafeInvalidation failSafe;
    private final RedisGuard guard;
    private final CacheMetrics metrics;
    private final String marksKey;

    public StreamGaps(ReactiveRedisDataSource redis, InvalidationService invalidation, FailSafeInvalidation failSafe,
            RedisGuard guard, CacheMetrics metrics, CacheServiceConfig config) {
        this.redis = redis;
        this.invalidation = invalidation;
        this.failSafe = failSafe;
        this.guard = guard;
        this.metrics = metrics;
        this.marksKey = config.invalidation().stream() + ":tables";
    }

    /** @param stream XINFO STREAM, @param group the group's entry of XINFO GROUPS (entries it never read are gone) */
    public Uni<Void> recover(Response stream, Response group) {
        String lastDelivered = WriteStreamConsumer.field(group, "last-delivered-id");
        long added = parseLong(WriteStreamConsumer.field(stream, "entries-added"));
        return guard.call(redis.hash(String.class).hgetall(marksKey)).chain(marks -> {
            Set<String> missed = missedTables(marks, lastDelivered, added);
            if (missed == null) {
                metrics.recordStreamGap("database");
                return failSafe.invalidateAll("write-stream entries were removed before this group read them, and "
                        + "which tables they touched is unknown");
            }
            metrics.recordStreamGap("tables");
            LOG.warnf("write-stream entries were removed before this group read them: invalidating the %d table(s) "
                    + "written since entry %s", missed.size(), lastDelivered);
            return missed.isEmpty() ? Uni.createFrom().voidItem()
                    : invalidation.invalidateTags(missed, "gap").replaceWithVoid();
        });
    }

    /** The tags of tables marked after {@code lastDelivered}, or null when the marks cannot tell. */
    static Set<String> missedTables(Map<String, String> marks, String lastDelivered, long entriesAdded) {
        long marked = parseLong(marks.get(ADDED));
        if (lastDelivered == null || entriesAdded < 0 || marked < entriesAdded) {
            return null;
        }
        Set<String> tags = new LinkedHashSet<>();
        for (var mark : marks.entrySet()) {
            if (mark.getKey().equals(ADDED) || WriteStreamConsumer.compareIds(mark.getValue(), lastDelivered) <= 0) {
                continue;
            }
            if (mark.getKey().equals("*")) {
                return null;
            }
            tags.add(Tags.table(mark.getKey()));
        }
        return tags;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
