package io.sluice.partitionmanager.doctor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.PartitionManagerProblem;
import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.db.ExecutedStatement;
import io.sluice.partitionmanager.maintenance.MaintenanceLock;
import io.sluice.partitionmanager.maintenance.MaintenancePlanner;
import io.sluice.partitionmanager.maintenance.MaintenanceService;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.maintenance.RunRepository;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.PartitionPlanner;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Empties a set's default partition: for each interval holding rows there, creates a standalone table like the
 * parent, moves the rows into it in batches (DELETE ... RETURNING feeding INSERT), checks the moved count against
 * the count taken first, then attaches it as the partition of that range. One transaction per range, so a failure
 * leaves that range's rows where they were. Runs under the maintenance lock.
 */
@ApplicationScoped
public class DefaultPartitionDoctor {

    private static final Logger LOG = Logger.getLogger(DefaultPartitionDoctor.class);

    private final MaintenanceLock lock;
    private final Catalog catalog;
    private final RunRepository runs;
    private final PartitionManagerMetrics metrics;
    private final PartitionManagerConfig config;
    private final Clock clock;

    public DefaultPartitionDoctor(MaintenanceLock lock, Catalog catalog, RunRepository runs,
            PartitionManagerMetrics metrics, PartitionManagerConfig config, Clock clock) {
        this.lock = lock;
        this.catalog = catalog;
        this.runs = runs;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    public EvacuationReport evacuate(PartitionSet set, int batchSize) throws SQLException {
        var lease = lock.acquire().orElseThrow(MaintenanceService::busy);
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        List<ExecutedStatement> executed = new ArrayList<>();
        try {
            var type = catalog.table(lease.connection(), set.schema().name(), set.table().name())
                    .flatMap(t -> ColumnType.fromCatalog(t.columnTypes().getOrDefault(set.column().name(), "")))
                    .orElseThrow(() -> new ProblemException(PartitionManagerProblem.INVALID_PARTITION_SET,
                            set.qualifiedName() + " does not exist"));
            EvacuationReport report = drain(lease.connection(), DrainTarget.of(set, type), batchSize, executed);
            runs.save(new RunRecord(null, set.qualifiedName(), "evacuate", started, (System.nanoTime() - t0) / 1_000_000,
                    RunRecord.Outcome.OK, lease.mode(), lease.fencingToken(), executed, null));
            return report;
        } catch (SQLException | RuntimeException e) {
            runs.save(new RunRecord(null, set.qualifiedName(), "evacuate", started, (System.nanoTime() - t0) / 1_000_000,
                    RunRecord.Outcome.ERROR, lease.mode(), lease.fencingToken(), executed, e.getMessage()));
            if (e instanceof SQLException sql) {
                throw new ProblemException(PartitionManagerProblem.DDL_FAILED, sql.getMessage()).withCode(sql.getSQLState());
            }
            throw e;
        } finally {
            lock.release(lease);
        }
    }

    /**
     * Moves every interval's rows out of {@code target}'s default partition into a new partition of that interval,
     * one transaction per interval, on the caller's connection (under the maintenance lock for a set; for a
     * conversion's twin, which no one else writes, under the conversion's). {@code executed} may be null.
     */
    public EvacuationReport drain(Connection c, DrainTarget target, int batchSize, List<ExecutedStatement> executed)
            throws SQLException {
        var table = catalog.table(c, target.schema(), target.parent())
                .orElseThrow(() -> new ProblemException(PartitionManagerProblem.INVALID_PARTITION_SET,
                        target.qualifiedName() + " does not exist"));
        var partitions = catalog.partitions(c, table.oid());
        var def = partitions.stream().filter(Catalog.Partition::isDefault).findFirst();
        List<String> notes = new ArrayList<>();
        if (def.isEmpty()) {
            return new EvacuationReport(target.qualifiedName(), List.of(), 0, 0, List.of("no default partition"));
        }
        String defName = SqlIdentifier.quote(def.get().schema()) + "." + SqlIdentifier.quote(def.get().name());
        var ranges = MaintenancePlanner.ranges(target.zone(), partitions);
        String columns = String.join(", ", catalog.insertableColumns(c, table.oid()));
        List<EvacuationReport.Moved> moved = new ArrayList<>();
        long total = 0;
        LocalDate[] span = span(c, defName, target);
        if (span != null) {
            for (LocalDate from = target.interval().floor(span[0]); !from.isAfter(span[1]);
                    from = target.interval().next(from)) {
                LocalDate to = target.interval().next(from);
                final LocalDate f = from;
                if (ranges.stream().anyMatch(r -> f.isBefore(r.to()) && r.from().isBefore(to))) {
                    notes.add("rows from " + from + " to " + to + " overlap an existing partition: left in default");
                    continue;
                }
                var m = moveRange(c, target, defName, columns, from, batchSize, executed);
                if (m != null) {
                    moved.add(m);
                    total += m.rows();
                }
            }
        }
        metrics.recordEvacuated(total);
        long left = count(c, "SELECT count(*) FROM " + defName);
        LOG.infof("Evacuated %d rows of %s into %d partitions; %d left in default", total, target.qualifiedName(),
                moved.size(), left);
        return new EvacuationReport(target.qualifiedName(), moved, total, left, notes);
    }

    private EvacuationReport.Moved moveRange(Connection c, DrainTarget target, String defName, String columns,
            LocalDate from, int batchSize, List<ExecutedStatement> executed) throws SQLException {
        String lo = target.type().boundLiteral(from, target.zone());
        String hi = target.type().boundLiteral(target.interval().next(from), target.zone());
        String col = target.quotedColumn();
        String where = "%s >= %s AND %s < %s".formatted(col, lo, col, hi);
        c.setAutoCommit(false);
        try {
            exec(c, "SET LOCAL lock_timeout = " + config.ddl().lockTimeout().toMillis(), null);
            long expected = count(c, "SELECT count(*) FROM " + defName + " WHERE " + where);
            if (expected == 0) {
                c.rollback();
                return null;
            }
            String name = PartitionPlanner.partitionName(target.nameBase(), target.interval(), from);
            String partition = SqlIdentifier.quote(target.schema()) + "." + SqlIdentifier.quote(name);
            // Generated columns stay generated (ATTACH requires it) and are computed again, not copied.
            exec(c, "CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)".formatted(
                    partition, target.quotedParent()), executed);
            String move = """
                    WITH moved AS (DELETE FROM %s d WHERE d.ctid = ANY (ARRAY(SELECT ctid FROM %s WHERE %s LIMIT %d))
                    RETURNING d.*) INSERT INTO %s (%s) SELECT %s FROM moved""".formatted(defName, defName, where,
                    batchSize, partition, columns, columns);
            int batches = 0;
            long t0 = System.nanoTime();
            while (update(c, move) > 0) {
                batches++;
            }
            if (executed != null) {
                executed.add(new ExecutedStatement(move + " -- x" + batches, (System.nanoTime() - t0) / 1_000_000,
                        batches, null));
            }
            long after = count(c, "SELECT count(*) FROM " + partition);
            if (after != expected) {
                throw new ProblemException(PartitionManagerProblem.DDL_FAILED,
                        "moved %d rows for %s but counted %d before: rolled back".formatted(after, from, expected));
            }
            exec(c, "ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%s) TO (%s)".formatted(target.quotedParent(),
                    partition, lo, hi), executed);
            c.commit();
            return new EvacuationReport.Moved(name, lo, hi, after, batches);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** First and last day (in the target's zone) of the default partition's rows; null when it is empty. */
    private static LocalDate[] span(Connection c, String defName, DrainTarget target) throws SQLException {
        String col = target.quotedColumn();
        boolean tz = target.type() == ColumnType.TIMESTAMPTZ;
        String day = tz ? "(" + col + " AT TIME ZONE ?)::date" : col + "::date";
        try (var st = c.prepareStatement("SELECT min(%s), max(%s) FROM %s".formatted(day, day, defName))) {
            if (tz) {
                st.setString(1, target.zone().getId());
                st.setString(2, target.zone().getId());
            }
            try (var rs = st.executeQuery()) {
                rs.next();
                var min = rs.getDate(1);
                return min == null ? null : new LocalDate[] { min.toLocalDate(), rs.getDate(2).toLocalDate() };
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            return st.executeUpdate(sql);
        }
    }

    private static void exec(Connection c, String sql, List<ExecutedStatement> log) throws SQLException {
        long t0 = System.nanoTime();
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
        if (log != null) {
            log.add(new ExecutedStatement(sql, (System.nanoTime() - t0) / 1_000_000, 1, null));
        }
    }
}
