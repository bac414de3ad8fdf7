package io.sluice.partitionmanager.maintenance;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.PartitionManagerProblem;
import io.sluice.partitionmanager.archive.ArchiveManifest;
import io.sluice.partitionmanager.archive.ArchiveService;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.db.DdlRunner;
import io.sluice.partitionmanager.db.ExecutedStatement;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.sets.PartitionSetRepository;

/**
 * Runs maintenance under the exactly-one-instance lock: for each set (in name order) plan the steps from the catalog
 * and the clock, check foreign keys before retiring anything, run each DDL under lock_timeout with retries, and
 * record the run. Blocking (JDBC): callers run it on a worker thread.
 */
@ApplicationScoped
public class MaintenanceService {

    private static final Logger LOG = Logger.getLogger(MaintenanceService.class);
    /** How a run fenced out by a newer holder's token starts its error. */
    static final String SUPERSEDED = "superseded: fencing token ";

    private final MaintenanceLock lock;
    private final PartitionSetRepository sets;
    private final RunRepository runs;
    private final Catalog catalog;
    private final DdlRunner ddl;
    private final ForeignKeyGuard foreignKeys;
    private final ArchiveService archives;
    private final PartitionManagerMetrics metrics;
    private final Clock clock;

    public MaintenanceService(MaintenanceLock lock, PartitionSetRepository sets, RunRepository runs, Catalog catalog,
            DdlRunner ddl, ForeignKeyGuard foreignKeys, ArchiveService archives, PartitionManagerMetrics metrics,
            Clock clock) {
        this.lock = lock;
        this.sets = sets;
        this.runs = runs;
        this.catalog = catalog;
        this.ddl = ddl;
        this.foreignKeys = foreignKeys;
        this.archives = archives;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Every set; empty when another instance holds the lock (the scheduled run then just skips). */
    public Optional<List<RunRecord>> runAll(String trigger) throws SQLException {
        return underLock(lease -> {
            List<RunRecord> done = new ArrayList<>();
            for (PartitionSet set : sets.all()) {
                RunRecord run = runSet(lease, set, trigger);
                done.add(run);
                if (run.outcome() == RunRecord.Outcome.REFUSED && run.error() != null
                        && run.error().startsWith(SUPERSEDED)) {
                    break; // another instance holds the lock now: the remaining sets are its to run
                }
            }
            return done;
        });
    }

    /** One set, on demand: a 409 problem when another instance is running maintenance. */
    public RunRecord runOne(PartitionSet set, String trigger) throws SQLException {
        return underLock(lease -> runSet(lease, set, trigger)).orElseThrow(() -> busy());
    }

    public static ProblemException busy() {
        return new ProblemException(PartitionManagerProblem.MAINTENANCE_BUSY,
                "another instance holds the maintenance lock; try again when its run has finished");
    }

    /** The steps a run would take now: what ?dry_run=true shows. Touches nothing. */
    public List<Step> plan(Connection c, PartitionSet set) throws SQLException {
        var table = catalog.table(c, set.schema().name(), set.table().name());
        if (table.isEmpty()) {
            return List.of();
        }
        ColumnType type = columnType(table.get(), set);
        return MaintenancePlanner.plan(set, type, catalog.partitions(c, table.get().oid()), today(set));
    }

    /** The steps for a parent that is about to be created (it has no partitions yet). */
    public List<Step> planNew(PartitionSet set, ColumnType type) {
        return MaintenancePlanner.plan(set, type, List.of(), today(set));
    }

    interface Locked<T> {
        T run(MaintenanceLock.Lease lease) throws SQLException;
    }

    private <T> Optional<T> underLock(Locked<T> work) throws SQLException {
        var lease = lock.acquire();
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.run(lease.get()));
        } finally {
            lock.release(lease.get());
        }
    }

    private RunRecord runSet(MaintenanceLock.Lease lease, PartitionSet set, String trigger) throws SQLException {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        List<ExecutedStatement> executed = new ArrayList<>();
        RunRecord.Outcome outcome = RunRecord.Outcome.OK;
        String error = null;
        try {
            error = apply(lease, set, executed);
            outcome = error == null ? RunRecord.Outcome.OK
                    : error.startsWith("refused: ") || error.startsWith(SUPERSEDED) ? RunRecord.Outcome.REFUSED
                    : RunRecord.Outcome.ERROR;
        } catch (ProblemException e) {
            outcome = RunRecord.Outcome.ERROR;
            error = e.getMessage();
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            outcome = RunRecord.Outcome.ERROR;
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warnf(e, "Maintenance of %s failed", set.qualifiedName());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        metrics.recordRun(outcome, ms);
        return runs.save(new RunRecord(null, set.qualifiedName(), trigger, started, ms, outcome, lease.mode(),
                lease.fencingToken(), executed, error));
    }

    /**
     * Runs the set's steps; returns null when all went well, else why it stopped (prefixed "refused: " if refused, or
     * {@link #SUPERSEDED} when a newer fencing token was recorded: this instance's lease ran out).
     */
    private String apply(MaintenanceLock.Lease lease, PartitionSet set, List<ExecutedStatement> executed)
            throws SQLException, java.io.IOException {
        Connection c = lease.connection();
        if (!lock.stillFenced(lease)) {
            return superseded(lease);
        }
        var table = catalog.table(c, set.schema().name(), set.table().name());
        if (table.isEmpty() || !table.get().partitioned()) {
            return "refused: " + set.qualifiedName() + " is not a partitioned table (any more)";
        }
        ColumnType type = columnType(table.get(), set);
        var partitions = catalog.partitions(c, table.get().oid());
        List<Step> steps = MaintenancePlanner.plan(set, type, partitions, today(set));
        List<Step> retiring = steps.stream().filter(s -> s.action() == Step.Action.DETACH).toList();
        if (!retiring.isEmpty()) {
            List<String> blockers = foreignKeys.blockers(c, table.get().oid(), retiring);
            if (!blockers.isEmpty()) {
                metrics.recordRetentionRefused();
                // Partitions are still made ahead: only retention is refused.
                boolean ran = runSteps(lease, set, steps.stream().filter(s -> s.action() == Step.Action.CREATE
                        || s.action() == Step.Action.FINALIZE_DETACH).toList(), executed);
                return !ran ? superseded(lease)
                        : "refused: retention would break foreign keys: " + String.join("; ", blockers);
            }
        }
        return runSteps(lease, set, steps, executed) ? null : superseded(lease);
    }

    private static String superseded(MaintenanceLock.Lease lease) {
        return SUPERSEDED + lease.fencingToken() + " is no longer the newest; another instance took over";
    }

    /** @return false when the lease was fenced out before a step (the steps before it ran) */
    private boolean runSteps(MaintenanceLock.Lease lease, PartitionSet set, List<Step> steps,
            List<ExecutedStatement> executed) throws SQLException, java.io.IOException {
        Connection c = lease.connection();
        ArchiveManifest archived = null;
        for (Step step : steps) {
            if (!lock.stillFenced(lease)) {
                return false;
            }
            switch (step.action()) {
                case ARCHIVE -> {
                    long t0 = System.nanoTime();
                    var bounds = boundsOf(c, step);
                    archived = archives.archive(c, set.archive().orElseThrow(), set.schema().name(), set.table().name(),
                            step.partitionSchema(), step.partition(), bounds[0], bounds[1]);
                    executed.add(new ExecutedStatement(step.sql() + " -- archive " + archived.id() + ", "
                            + archived.rowCount() + " rows, verified", (System.nanoTime() - t0) / 1_000_000, 1, null));
                }
                case DETACH -> {
                    if (archived != null) {
                        recount(c, step, archived);
                    }
                    ddl.run(c, step.sql(), executed);
                    metrics.recordRetired(set.retention().orElseThrow().mode());
                    archived = null;
                }
                default -> ddl.run(c, step.sql(), executed);
            }
            if (step.action() == Step.Action.CREATE) {
                metrics.recordCreated();
            }
        }
        return true;
    }

    /** Rows written to an expired partition after its export would be lost by the drop: refuse if the count moved. */
    private static void recount(Connection c, Step step, ArchiveManifest archived) throws SQLException {
        String sql = "SELECT count(*) FROM " + io.sluice.partitionmanager.policy.SqlIdentifier.quote(step.partitionSchema())
                + "." + io.sluice.partitionmanager.policy.SqlIdentifier.quote(step.partition());
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) != archived.rowCount()) {
                throw new ProblemException(PartitionManagerProblem.ARCHIVE_INVALID, "partition %s has %d rows, its archive %d: not detaching"
                        .formatted(step.partition(), rs.getLong(1), archived.rowCount()));
            }
        }
    }

    private String[] boundsOf(Connection c, Step step) throws SQLException {
        try (var st = c.prepareStatement("""
                SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = ?""")) {
            st.setString(1, step.partitionSchema());
            st.setString(2, step.partition());
            try (var rs = st.executeQuery()) {
                rs.next();
                var m = java.util.regex.Pattern.compile("FROM \\('([^']*)'\\) TO \\('([^']*)'\\)").matcher(rs.getString(1));
                if (!m.find()) {
                    throw new IllegalStateException("no range bound on " + step.partition());
                }
                return new String[] { m.group(1), m.group(2) };
            }
        }
    }

    private ColumnType columnType(Catalog.TableInfo table, PartitionSet set) {
        String type = table.columnTypes().get(set.column().name());
        return ColumnType.fromCatalog(type == null ? "" : type).orElseThrow(() -> new IllegalStateException(
                "column " + set.column().name() + " of " + set.qualifiedName() + " is not a date or timestamp"));
    }

    private LocalDate today(PartitionSet set) {
        return LocalDate.now(clock.withZone(set.zone()));
    }
}
