package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.conversion.shape.TableShape;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Drives a conversion from wherever its stored phase says: copy in key order (each batch and its progress commit
 * together, so a crash loses nothing and repeats nothing), replay the change log, finish the twin (indexes, keys,
 * default partition emptied), verify it without any lock, then swap in one short transaction. Blocking: runs on its
 * own thread, on one connection that holds a session advisory lock on the conversion, so only one instance runs it.
 */
@ApplicationScoped
public class ConversionRunner {

    private static final Logger LOG = Logger.getLogger(ConversionRunner.class);

    /** Verification rounds before the swap stop once at most this many changed keys are left to compare under lock. */
    static final int SWAP_KEYS = 500;

    static final int VERIFY_ROUNDS = 5;

    /** How long a resumed conversion waits for the lock a dead instance's session still holds (it ends within it). */
    private static final int LOCK_WAIT_SECONDS = 60;

    private final DataSource dataSource;
    private final ConversionRepository repository;
    private final ConversionPreparation preparation;
    private final ChangeReplay replay;
    private final AfterCopy afterCopy;
    private final Verification verification;
    private final Swap swap;
    private final PartitionManagerConfig config;
    private final PartitionManagerMetrics metrics;

    public ConversionRunner(DataSource dataSource, ConversionRepository repository, ConversionPreparation preparation,
            ChangeReplay replay, AfterCopy afterCopy, Verification verification, Swap swap,
            PartitionManagerConfig config, PartitionManagerMetrics metrics) {
        this.dataSource = dataSource;
        this.repository = repository;
        this.preparation = preparation;
        this.replay = replay;
        this.afterCopy = afterCopy;
        this.verification = verification;
        this.swap = swap;
        this.config = config;
        this.metrics = metrics;
    }

    public void run(Conversion v, long throttleMs) {
        try (Connection c = dataSource.getConnection()) {
            try (var st = c.createStatement()) {
                st.execute("SET application_name = 'sluice-pm-conversion-" + v.tag() + "'");
                // Each batch commits with its progress: losing the last ones in a crash loses nothing.
                st.execute("SET synchronous_commit = off");
            }
            if (!lock(c, v)) {
                LOG.infof("Conversion %s is run by another instance", v.id());
                return;
            }
            try {
                drive(c, v, throttleMs);
            } finally {
                try (var st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock_all(); RESET application_name; RESET synchronous_commit");
                }
            }
        } catch (Mismatch e) {
            LOG.errorf("Conversion %s failed: %s", v.id(), e.getMessage());
            metrics.recordConversion("failed");
            fail(v, e.getMessage(), null);
        } catch (Swap.SchemaMismatch e) {
            LOG.errorf("Conversion %s failed the schema check: %s", v.id(), e.getMessage());
            metrics.recordConversion("failed");
            fail(v, e.getMessage(), e.equivalence);
        } catch (SQLException | RuntimeException e) {
            // Interrupted (connection killed, restart, lock timeouts): the stored phase and last key stay, resume continues.
            LOG.warnf("Conversion %s interrupted: %s", v.id(), e.getMessage());
            metrics.recordConversion("interrupted");
            recordInterruption(v, "interrupted: " + e.getMessage());
        }
    }

    private void drive(Connection c, Conversion stored, long throttleMs) throws SQLException {
        // The state as stored now (the caller's copy may predate batches another run committed).
        Conversion v = repository.find(stored.id()).orElse(stored);
        var prepared = preparation.prepare(c, v);
        ConversionSql sql = prepared.sql();
        Conversion.Phase phase = v.phase();
        long t0 = System.nanoTime();
        if (phase == Conversion.Phase.COPYING) {
            copy(c, sql, v.lastKey(), throttleMs);
            repository.phase(c, v.id(), Conversion.Phase.REPLAYING, null);
            phase = Conversion.Phase.REPLAYING;
            LOG.infof("Conversion %s: copy done in %.1f s", v.id(), seconds(t0));
        }
        if (phase == Conversion.Phase.REPLAYING || phase == Conversion.Phase.SWAPPING) {
            long t1 = System.nanoTime();
            replay.catchUp(c, sql, throttleMs, null);
            afterCopy.run(c, sql, prepared.plan(), prepared.shape(), throttleMs);
            replay.catchUp(c, sql, throttleMs, null);
            long t2 = System.nanoTime();
            ChangedKeys keys = verification.ranges(c, sql);
            int rounds = 0;
            // What changed during a round (replayed now) is what the next round, or the swap, compares.
            for (replay.catchUp(c, sql, 0, keys); keys.size() > SWAP_KEYS && rounds < VERIFY_ROUNDS; rounds++) {
                keys = verification.keys(c, sql, keys);
                replay.catchUp(c, sql, 0, keys);
            }
            LOG.infof("Conversion %s: twin finished in %.1f s (replay, default partition, indexes, keys, statistics), "
                    + "verified in %.1f s (%s, %d rounds of changed keys), %d keys left for the swap", v.id(),
                    (t2 - t1) / 1e9, seconds(t2), sql.hashRecords() ? "value hashes" : "text hashes", rounds, keys.size());
            repository.phase(c, v.id(), Conversion.Phase.SWAPPING, null);
            var result = swapWithRetries(c, sql, prepared.shape(), keys);
            cleanUp(c, sql);
            dropOldForeignKeys(c, sql, prepared.shape());
            metrics.recordConversion("done");
            metrics.recordSwap(result.figures().lockMs(), result.figures().lockWaitMs());
            recordLockHeld(v, result.figures().lockMs());
            LOG.infof("Conversion %s of %s done: lock held %d ms (waited %d ms), %d changes replayed and %d keys "
                    + "compared under it, %d catalog entries equal", v.id(), v.qualifiedName(),
                    result.figures().lockMs(), result.figures().lockWaitMs(), result.figures().tailChanges(),
                    result.figures().recheckedKeys(), result.equivalence().compared());
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** pg_try_advisory_lock, retried while a dead instance's session may still hold it. */
    private static boolean lock(Connection c, Conversion v) throws SQLException {
        for (int second = 0; second < LOCK_WAIT_SECONDS; second++) {
            try (var st = c.prepareStatement(
                    "SELECT pg_try_advisory_lock(hashtext('sluice_partman.conversion'), hashtext(?))")) {
                st.setString(1, v.id().toString());
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
            }
            Pause.of(1000);
        }
        return false;
    }

    private void copy(Connection c, ConversionSql sql, List<String> lastKey, long throttleMs) throws SQLException {
        Conversion v = sql.conversion();
        c.setAutoCommit(false);
        try {
            while (true) {
                List<String> last = null;
                long rows = 0;
                boolean first = lastKey == null || lastKey.isEmpty();
                try (var st = c.prepareStatement(sql.copyBatch(first))) {
                    int i = 1;
                    if (!first) {
                        for (String part : lastKey) {
                            st.setString(i++, part);
                        }
                    }
                    st.setInt(i, v.batchSize());
                    try (var rs = st.executeQuery()) {
                        if (rs.next()) {
                            rows = rs.getLong(1);
                            last = new ArrayList<>();
                            for (int k = 0; k < v.keyColumns().size(); k++) {
                                last.add(rs.getString(2 + k));
                            }
                        }
                    }
                }
                if (rows == 0) {
                    c.commit();
                    return;
                }
                repository.copied(c, v.id(), last, rows);
                c.commit();
                metrics.recordConversionRows(rows);
                lastKey = last;
                Pause.of(throttleMs);
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private Swap.Result swapWithRetries(Connection c, ConversionSql sql, TableShape shape, ChangedKeys keys)
            throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                var result = swap.attempt(c, sql, shape, keys, attempt);
                metrics.recordSwapAttempt("swapped");
                return result;
            } catch (SQLException e) {
                boolean busy = "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
                metrics.recordSwapAttempt(busy ? "lock_timeout" : "error");
                if (!busy || attempt >= config.conversion().swapAttempts()) {
                    throw e;
                }
                long base = config.ddl().backoff().toMillis();
                LOG.infof("Swap of conversion %s could not lock %s in time, attempt %d", sql.conversion().id(),
                        sql.table(), attempt);
                Pause.of(ThreadLocalRandom.current().nextLong(base, 2 * base * Math.min(attempt, 10) + 1));
                // Catch up outside the lock so the next attempt has less to do while holding it.
                replay.catchUp(c, sql, 0, keys);
                if (keys.size() > SWAP_KEYS) {
                    keys = verification.keys(c, sql, keys);
                }
            }
        }
    }

    /**
     * The pool may hand out a connection that died with the conversion's (a terminated backend, a restart), so a
     * second attempt takes a fresh one: an operator must see why the conversion stopped.
     */
    private void recordInterruption(Conversion v, String error) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                repository.error(v.id(), error);
                return;
            } catch (SQLException e) {
                LOG.debugf("could not record the interruption (attempt %d): %s", attempt, e.getMessage());
            }
        }
        LOG.warnf("Conversion %s: the interruption could not be recorded", v.id());
    }

    private void recordLockHeld(Conversion v, long millis) {
        try {
            repository.lockHeld(v.id(), millis);
        } catch (SQLException e) {
            LOG.debugf("could not record the lock time of %s: %s", v.id(), e.getMessage());
        }
    }

    /** Stops capturing changes and marks the conversion failed; the twin is left for inspection. */
    private void fail(Conversion v, String error, Conversion.Equivalence equivalence) {
        try (Connection c = dataSource.getConnection()) {
            try (var st = c.createStatement()) {
                st.execute("DROP TRIGGER IF EXISTS " + ConversionPreparation.captureTrigger(v) + " ON "
                        + ConversionPreparation.table(v));
            }
            if (equivalence != null) {
                repository.mismatched(c, v.id(), equivalence);
            }
            repository.phase(c, v.id(), Conversion.Phase.FAILED, error);
            try (var st = c.createStatement()) {
                for (String statement : ConversionPreparation.cleanUp(v)) {
                    st.execute(statement);
                }
            }
        } catch (SQLException e) {
            LOG.warnf("Could not mark conversion %s failed: %s", v.id(), e.getMessage());
        }
    }

    /**
     * The old table's own foreign keys would go on checking deletes of the rows they reference (a customer whose
     * orders were deleted from the new table could not be deleted while the old table holds them): they go right
     * after the swap, each in a short transaction under the DDL lock_timeout. One that cannot is logged, not fatal.
     */
    private void dropOldForeignKeys(Connection c, ConversionSql sql, TableShape shape) {
        String old = SqlIdentifier.quote(sql.conversion().schema()) + "." + SqlIdentifier.quote(sql.oldName());
        for (var key : shape.constraints()) {
            if (key.type() != 'f') {
                continue;
            }
            for (int attempt = 1;; attempt++) {
                try {
                    c.setAutoCommit(false);
                    try (var st = c.createStatement()) {
                        st.execute("SET LOCAL lock_timeout = " + config.ddl().lockTimeout().toMillis());
                        st.execute("ALTER TABLE " + old + " DROP CONSTRAINT IF EXISTS " + key.printed());
                    }
                    c.commit();
                    break;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (attempt >= config.ddl().attempts()) {
                        LOG.warnf("Conversion %s: foreign key %s of %s not dropped (%s): drop it, or the old table",
                                sql.conversion().id(), key.name(), old, e.getMessage());
                        break;
                    }
                    Pause.of(config.ddl().backoff().toMillis() * attempt);
                } finally {
                    autoCommitQuietly(c);
                }
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback: %s", e.getMessage());
        }
    }

    private static void autoCommitQuietly(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.debugf("autocommit: %s", e.getMessage());
        }
    }

    private static void cleanUp(Connection c, ConversionSql sql) {
        for (String statement : sql.cleanUp()) {
            try (var st = c.createStatement()) {
                st.execute(statement);
            } catch (SQLException e) {
                LOG.warnf("Clean-up of conversion %s: %s", sql.conversion().id(), e.getMessage());
            }
        }
    }
}
