package io.sluice.cacheservice.invalidation;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.redis.RedisGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The consumer-group side of replica-router's write stream: creates the group, reads, claims, acknowledges and
 * triggers gap detection; parsing an entry is {@link WriteStreamEntry}'s and applying it {@link WriteStreamApplier}'s.
 * Consumes replica-router's write stream (docs/streams.md) with one consumer group for the fleet: each committed
 * write's tables become {@code table:<name>} invalidations ({@code *}: the database tag), acknowledged only once
 * applied, so nothing is lost while instances are down: the group resumes where it stopped, and another instance
 * claims what a dead one left pending. If the stream lost entries the group never read (trimmed or deleted), the
 * tables they touched are invalidated ({@link StreamGaps}); if Redis lost the group (and the stream), every query
 * result is, through the rate-limited fail safe.
 */
@ApplicationScoped
public class WriteStreamConsumer {

    private static final Logger LOG = Logger.getLogger(WriteStreamConsumer.class);
    private static final int BATCH = 200;

    private final ReactiveStreamCommands<String, String, String> streams;
    private final ReactiveRedisDataSource redis;
    private final WriteStreamApplier applier;
    private final FailSafeInvalidation failSafe;
    private final StreamGaps gaps;
    private final RedisGuard guard;
    private final CacheServiceConfig config;
    private final Clock clock;
    private final String consumer;
    private volatile boolean groupReady;
    private volatile boolean pendingDrained;
    private volatile long lastClaim;
    private volatile String lastGap;
    private volatile boolean running;

    public WriteStreamConsumer(ReactiveRedisDataSource redis, WriteStreamApplier applier,
            FailSafeInvalidation failSafe, StreamGaps gaps, RedisGuard guard, CacheServiceConfig config, Clock clock) {
        this.failSafe = failSafe;
        this.gaps = gaps;
        this.redis = redis;
        this.streams = redis.stream(String.class);
        this.applier = applier;
        this.guard = guard;
        this.config = config;
        this.clock = clock;
        this.consumer = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString()
                .substring(0, 8);
    }

    /** One round: own pending entries first (after a start), claims of dead consumers' entries, then new ones. */
    public Uni<Integer> poll() {
        if (!config.invalidation().streamEnabled() || !guard.available()) {
            return Uni.createFrom().item(0);
        }
        return ensureGroup()
                .chain(() -> pendingDrained ? Uni.createFrom().item(0) : read("0").invoke(n -> pendingDrained = true))
                .chain(pending -> claim().map(claimed -> pending + claimed))
                .chain(earlier -> read(">").map(n -> earlier + n))
                .onFailure().invoke(e -> {
                    if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                        groupReady = false;
                    }
                    LOG.debugf("write stream poll failed: %s", e.getMessage());
                })
                .onFailure().recoverWithItem(0);
    }

    /**
     * Polls every {@code invalidation.poll-interval} on a Vert.x timer (the scheduler's floor is one second, too
     * coarse for the invalidation bound); a full batch is followed by the next read at once.
     */
    public void start(io.vertx.mutiny.core.Vertx vertx) {
        running = true;
        loop(vertx);
    }

    public void stop() {
        running = false;
    }

    private void loop(io.vertx.mutiny.core.Vertx vertx) {
        if (!running) {
            return;
        }
        poll().subscribe().with(
                n -> vertx.setTimer(n >= BATCH ? 1 : config.invalidation().pollInterval().toMillis(), id -> loop(vertx)),
                e -> vertx.setTimer(config.invalidation().pollInterval().toMillis(), id -> loop(vertx)));
    }

    /** Called when Redis came back after an outage. */
    public void redisRecovered() {
        groupReady = false;
        pendingDrained = false;
    }

    private Uni<Void> ensureGroup() {
        if (groupReady) {
            return Uni.createFrom().voidItem();
        }
        String stream = config.invalidation().stream();
        return guard.call(streams.xgroupCreate(stream, config.invalidation().group(), "$",
                new XGroupCreateArgs().mkstream()))
                .map(created -> true)
                .onFailure(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP")).recoverWithItem(false)
                .chain(created -> created
                        ? failSafe.invalidateAll("the write stream's consumer group was created: writes before it "
                                + "are unknown").replaceWith(true)
                        : checkForLostEntries().replaceWith(true))
                .invoke(() -> groupReady = true)
                .replaceWithVoid();
    }

    /**
     * Whether entries this group never read were removed (trimmed past, or deleted): more entries were added than
     * the group read plus what the stream still holds, or an entry after the group's position was deleted.
     */
    private Uni<Void> checkForLostEntries() {
        String stream = config.invalidation().stream();
        Uni<Response> info = guard.call(redis.execute("XINFO", "STREAM", stream));
        Uni<Response> group = guard.call(redis.execute("XINFO", "GROUPS", stream)).map(groups -> {
            for (Response g : groups) {
                if (config.invalidation().group().equals(field(g, "name"))) {
                    return g;
                }
            }
            return null;
        });
        return Uni.combine().all().unis(info, group).asTuple().chain(t -> {
            if (t.getItem2() == null || !lost(t.getItem1(), t.getItem2())) {
                return Uni.createFrom().voidItem();
            }
            // A gap stays visible until the group reads past it: recover once per removal (this instance).
            String gap = field(t.getItem1(), "max-deleted-entry-id") + "|" + (parseLong(field(t.getItem1(),
                    "entries-added")) - parseLong(field(t.getItem1(), "length")));
            return gap.equals(lastGap) ? Uni.createFrom().voidItem()
                    : gaps.recover(t.getItem1(), t.getItem2()).invoke(() -> lastGap = gap);
        });
    }

    static boolean lost(Response stream, Response group) {
        String lastDelivered = field(group, "last-delivered-id");
        String maxDeleted = field(stream, "max-deleted-entry-id");
        if (lastDelivered != null && maxDeleted != null && compareIds(maxDeleted, lastDelivered) > 0) {
            return true;
        }
        long added = parseLong(field(stream, "entries-added"));
        long read = parseLong(field(group, "entries-read"));
        long length = parseLong(field(stream, "length"));
        return added >= 0 && read >= 0 && length >= 0 && added - read > length;
    }

    private Uni<Integer> claim() {
        long now = clock.millis();
        if (now - lastClaim < config.invalidation().claimAfter().toMillis() / 2) {
            return Uni.createFrom().item(0);
        }
        lastClaim = now;
        return guard.call(streams.xautoclaim(config.invalidation().stream(), config.invalidation().group(),
                consumer, config.invalidation().claimAfter(), "0-0", BATCH))
                .chain(claimed -> apply(claimed.getMessages()))
                .call(this::checkForLostEntries);
    }

    private Uni<Integer> read(String from) {
        return guard.call(streams.xreadgroup(config.invalidation().group(), consumer, config.invalidation().stream(),
                from, new XReadGroupArgs().count(BATCH))).chain(this::apply);
    }

    /** Parses and applies the entries ({@link WriteStreamApplier}), acknowledging them only once applied. */
    private Uni<Integer> apply(List<StreamMessage<String, String, String>> messages) {
        if (messages == null || messages.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<WriteStreamEntry> entries = messages.stream().map(m -> WriteStreamEntry.parse(m.id(), m.payload()))
                .toList();
        return applier.apply(entries, () -> guard.call(streams.xack(config.invalidation().stream(),
                config.invalidation().group(), entries.stream().map(WriteStreamEntry::id).toArray(String[]::new))));
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A field of an XINFO reply, as a RESP3 map or a RESP2 flat list of pairs. */
    static String field(Response r, String name) {
        if (r == null) {
            return null;
        }
        try {
            if (r.getKeys() != null && !r.getKeys().isEmpty()) {
                Response v = r.get(name);
                return v == null ? null : v.toString();
            }
        } catch (RuntimeException notAMap) {
            // RESP2: fall through to the pair list
        }
        for (int i = 0; i + 1 < r.size(); i += 2) {
            if (name.equals(r.get(i).toString())) {
                Response v = r.get(i + 1);
                return v == null ? null : v.toString();
            }
        }
        return null;
    }

    /** Compares stream ids "ms-seq". */
    static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return c != 0 ? c : Long.compare(x.length > 1 ? Long.parseLong(x[1]) : 0, y.length > 1 ? Long.parseLong(y[1]) : 0);
    }

}
