package io.sluice.querymonitor.snapshot;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.Aggregator;
import io.sluice.querymonitor.aggregate.Target;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.metrics.QueryMonitorMetrics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Snapshots pg_stat_statements of each configured database, diffs it against the fleet's baseline and adds the
 * deltas to the aggregates under the statement's fingerprint and the database's configured name. One instance at a
 * time snapshots a database ({@link SnapshotLease}); the others skip it, so N instances count each call once. The
 * new snapshot becomes the baseline only while this instance's fencing token still holds the lease, and only then
 * are its deltas counted. Counters are read with {@code pg_stat_statements(false)}, without texts; a text is fetched
 * only for a queryid not seen before.
 */
@ApplicationScoped
public class StatementsSnapshotter {

    private static final Logger LOG = Logger.getLogger(StatementsSnapshotter.class);
    private static final String EXTENSION = "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'";
    private static final String INFO = "SELECT dealloc, stats_reset FROM pg_stat_statements_info";
    private static final String COUNTERS = """
            SELECT userid::bigint AS userid, dbid::bigint AS dbid, queryid, toplevel, calls, total_exec_time, rows
            FROM pg_stat_statements(false) WHERE queryid IS NOT NULL""";
    private static final String TEXTS = """
            SELECT queryid, query FROM pg_stat_statements(true) WHERE queryid = ANY($1)""";
    private static final int MAX_TEXTS = 20_000;

    /** A queryid's fingerprint and normalized text. */
    private record Known(String fingerprint, String normalized) {
    }

    private final DatabasePools pools;
    private final Aggregator aggregator;
    private final SnapshotLease lease;
    private final QueryMonitorMetrics metrics;
    private final Clock clock;
    /** Database to this instance's token while it holds the database's lease (released at shutdown). */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final Map<String, SnapshotStatus> status = new ConcurrentHashMap<>();
    private final Map<Long, Known> texts = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Known> eldest) {
                    return size() > MAX_TEXTS;
                }
            });

    public StatementsSnapshotter(DatabasePools pools, Aggregator aggregator, SnapshotLease lease,
            QueryMonitorMetrics metrics, Clock clock) {
        this.pools = pools;
        this.aggregator = aggregator;
        this.lease = lease;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Snapshots every configured database one after the other; a failing one does not stop the others. */
    public Uni<List<SnapshotStatus>> snapshotAll() {
        return Multi.createFrom().iterable(pools.names()).onItem().transformToUniAndConcatenate(this::snapshot)
                .collect().asList();
    }

    public Uni<SnapshotStatus> snapshot(String database) {
        Pool pool = pools.get(database);
        Timer.Sample timing = Timer.start();
        return pool.query(EXTENSION).execute().map(rs -> rs.iterator().next().getLong(0) > 0)
                .chain(present -> present ? snapshotAsHolder(database, pool)
                        : Uni.createFrom().item(new SnapshotStatus(database, true, false, null,
                                "pg_stat_statements is not installed", 0)))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("snapshot of %s failed: %s", database, e.getMessage());
                    SnapshotStatus old = status.get(database);
                    return new SnapshotStatus(database, false, old != null && old.extensionPresent(),
                            old == null ? null : old.lastSnapshot(), "failed: " + e.getMessage(), 0);
                })
                .invoke(s -> {
                    status.put(database, s);
                    timing.stop(metrics.snapshotTimer(database, outcome(s)));
                });
    }

    public Map<String, SnapshotStatus> status() {
        return Map.copyOf(status);
    }

    /** Gives up the leases this instance holds, so another instance snapshots at its next round. */
    public Uni<Void> releaseAll() {
        return Multi.createFrom().iterable(Map.copyOf(held).entrySet())
                .onItem().transformToUniAndMerge(e -> lease.release(e.getKey(), e.getValue()))
                .collect().asList().replaceWithVoid();
    }

    private static String outcome(SnapshotStatus s) {
        if (!s.reachable()) {
            return "failed";
        }
        if (!s.extensionPresent()) {
            return "no_extension";
        }
        String o = s.lastOutcome();
        return o.startsWith("skipped") ? "skipped" : o.startsWith("held") ? "not_holder"
                : o.startsWith("fenced") ? "fenced" : "applied";
    }

    /** Only the lease holder snapshots; the others report who does and the fleet's last snapshot. */
    private Uni<SnapshotStatus> snapshotAsHolder(String database, Pool pool) {
        return lease.acquire(database).chain(token -> {
            if (token == 0) {
                held.remove(database);
                return Uni.combine().all().unis(lease.holder(database), lease.baseline(database)).asTuple()
                        .map(t -> new SnapshotStatus(database, true, true, t.getItem2().takenAt(),
                                "held by " + (t.getItem1() == null ? "another instance" : t.getItem1()), 0));
            }
            held.put(database, token);
            return Uni.combine().all().unis(read(pool), lease.baseline(database)).asTuple()
                    .chain(t -> apply(database, pool, token, t.getItem2().snapshot(), t.getItem1()));
        });
    }

    private Uni<Snapshot> read(Pool pool) {
        return Uni.combine().all().unis(pool.query(INFO).execute(), pool.query(COUNTERS).execute())
                .asTuple().map(t -> {
                    Row info = t.getItem1().iterator().next();
                    OffsetDateTime reset = info.getOffsetDateTime("stats_reset");
                    Map<StatementKey, Counters> rows = new HashMap<>();
                    for (Row r : t.getItem2()) {
                        rows.put(new StatementKey(r.getLong("userid"), r.getLong("dbid"), r.getLong("queryid"),
                                r.getBoolean("toplevel")),
                                new Counters(r.getLong("calls"), r.getDouble("total_exec_time"), r.getLong("rows")));
                    }
                    return new Snapshot(clock.instant(), info.getLong("dealloc"),
                            reset == null ? null : reset.toInstant(), rows);
                });
    }

    private Uni<SnapshotStatus> apply(String database, Pool pool, long token, Snapshot previous, Snapshot current) {
        SnapshotDiff diff = SnapshotDiff.between(previous, current);
        return lease.commit(database, token, current).chain(committed -> {
            if (!committed) {
                held.remove(database);
                LOG.warnf("snapshot of %s: token %d was fenced out (another instance took over); its interval is not "
                        + "counted here", database, token);
                return Uni.createFrom().item(new SnapshotStatus(database, true, true, current.takenAt(),
                        "fenced: another instance took over", 0));
            }
            if (diff instanceof SnapshotDiff.Skipped skipped) {
                LOG.infof("snapshot of %s: interval skipped, %s", database, skipped.reason());
                return Uni.createFrom().item(new SnapshotStatus(database, true, true, current.takenAt(),
                        "skipped: " + skipped.reason(), 0));
            }
            return addDeltas(database, pool, current, ((SnapshotDiff.Deltas) diff).deltas());
        });
    }

    private Uni<SnapshotStatus> addDeltas(String database, Pool pool, Snapshot current,
            List<SnapshotDiff.Delta> deltas) {
        return knownTexts(pool, deltas).map(ignored -> {
            Instant at = current.takenAt();
            int applied = 0;
            for (SnapshotDiff.Delta d : deltas) {
                Known k = texts.get(d.key().queryId());
                if (k == null) {
                    continue; // evicted between the two reads: counted next time
                }
                for (Window.Resolution res : Window.Resolution.values()) {
                    aggregator.addStatements(k.fingerprint(), k.normalized(),
                            Target.bucket(k.fingerprint(), database, res, res.bucketOf(at)), d.calls(),
                            d.totalExecMs(), d.rows(), at.toEpochMilli());
                }
                applied++;
            }
            return new SnapshotStatus(database, true, true, at, "applied", applied);
        });
    }

    /** Fetches the texts of queryids not seen before, in one query. */
    private Uni<Void> knownTexts(Pool pool, List<SnapshotDiff.Delta> deltas) {
        List<Long> unknown = new ArrayList<>();
        for (SnapshotDiff.Delta d : deltas) {
            if (!texts.containsKey(d.key().queryId()) && !unknown.contains(d.key().queryId())) {
                unknown.add(d.key().queryId());
            }
        }
        if (unknown.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(TEXTS).execute(Tuple.of(unknown.toArray(Long[]::new))).invoke(rs -> {
            for (Row r : rs) {
                String normalized = SqlNormalizer.normalize(PgssText.statementOf(r.getString("query")));
                texts.put(r.getLong("queryid"),
                        new Known(SqlNormalizer.fingerprintOfNormalized(normalized), normalized));
            }
        }).replaceWithVoid();
    }
}
