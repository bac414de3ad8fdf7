package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;

/**
 * Drives a conversion from wherever its stored phase says: copy in key order (each batch and its progress commit
 * together, so a crash loses nothing and repeats nothing), replay the change log, then swap in one short transaction
 * that blocks writes, replays what is left, verifies every interval's count and hash, and renames. Blocking: runs on
 * its own thread.
 */
@ApplicationScoped
public class ConversionRunner {

    private static final Logger LOG = Logger.getLogger(ConversionRunner.class);

    private final DataSource dataSource;
    private final ConversionRepository repository;
    private final PartitionManagerConfig config;
    private final PartitionManagerMetrics metrics;

    public ConversionRunner(DataSource dataSource, ConversionRepository repository, PartitionManagerConfig config,
            PartitionManagerMetrics metrics) {
        this.dataSource = dataSource;
        this.repository = repository;
        this.config = config;
        this.metrics = metrics;
    }

    /** Thrown when the verification finds a difference: the conversion fails and nothing is swapped. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    public void run(ConversionSql sql, long throttleMs) {
        Conversion v = sql.conversion();
        try (Connection c = dataSource.getConnection()) {
            try (var st = c.createStatement()) {
                st.execute("SET application_name = 'sluice-pm-conversion-" + v.tag() + "'");
            }
            Conversion.Phase phase = v.phase();
            if (phase == Conversion.Phase.COPYING) {
                copy(c, sql, v.lastKey(), throttleMs);
                setPhase(c, v, Conversion.Phase.REPLAYING, null);
                phase = Conversion.Phase.REPLAYING;
            }
            if (phase == Conversion.Phase.REPLAYING) {
                while (replay(c, sql, v.batchSize()) >= v.batchSize()) {
                    pause(throttleMs);
                }
                setPhase(c, v, Conversion.Phase.SWAPPING, null);
            }
            swapWithRetries(c, sql);
            cleanUp(c, sql);
            metrics.recordConversion("done");
            LOG.infof("Conversion %s of %s.%s done", v.id(), v.schema(), v.table());
        } catch (Mismatch e) {
            LOG.errorf("Conversion %s failed verification: %s", v.id(), e.getMessage());
            metrics.recordConversion("failed");
            fail(sql, e.getMessage());
        } catch (SQLException | RuntimeException e) {
            // Interrupted (connection killed, restart, lock timeouts): the stored phase and last key stay, resume continues.
            LOG.warnf("Conversion %s interrupted: %s", v.id(), e.getMessage());
            metrics.recordConversion("interrupted");
            recordInterruption(v, "interrupted: " + e.getMessage());
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

    private void copy(Connection c, ConversionSql sql, String lastKey, long throttleMs) throws SQLException {
        Conversion v = sql.conversion();
        c.setAutoCommit(false);
        try {
            while (true) {
                String last;
                long rows;
                try (var st = c.prepareStatement(sql.copyBatch(lastKey == null))) {
                    int i = 1;
                    if (lastKey != null) {
                        st.setString(i++, lastKey);
                    }
                    st.setInt(i, v.batchSize());
                    try (var rs = st.executeQuery()) {
                        rs.next();
                        last = rs.getString(1);
                        rows = rs.getLong(2);
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
                pause(throttleMs);
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Replays one batch of logged keys in its own transaction; returns how many log entries it took. */
    private int replay(Connection c, ConversionSql sql, int batch) throws SQLException {
        c.setAutoCommit(false);
        try {
            int taken = replayIn(c, sql, batch);
            c.commit();
            return taken;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Re-copies the current version of each logged key (or nothing, if it was deleted) inside the caller's transaction. */
    private int replayIn(Connection c, ConversionSql sql, int batch) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (var st = c.prepareStatement(sql.takeChanges())) {
            st.setInt(1, batch);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        if (keys.isEmpty()) {
            return 0;
        }
        var array = c.createArrayOf("text", keys.stream().distinct().toArray());
        for (String statement : List.of(sql.deleteChanged(), sql.insertChanged())) {
            try (var st = c.prepareStatement(statement)) {
                st.setArray(1, array);
                st.executeUpdate();
            }
        }
        repository.replayed(c, sql.conversion().id(), keys.size());
        return keys.size();
    }

    private void swapWithRetries(Connection c, ConversionSql sql) throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                swap(c, sql);
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState()) || attempt >= config.conversion().swapAttempts()) {
                    throw e;
                }
                long base = config.ddl().backoff().toMillis();
                LOG.infof("Swap of conversion %s hit lock_timeout, attempt %d", sql.conversion().id(), attempt);
                pause(ThreadLocalRandom.current().nextLong(base, 2 * base * Math.min(attempt, 10) + 1));
                // Catch up outside the lock so the next attempt has less to do while holding it.
                while (replay(c, sql, sql.conversion().batchSize()) >= sql.conversion().batchSize()) {
                    pause(0);
                }
            }
        }
    }

    private void swap(Connection c, ConversionSql sql) throws SQLException {
        Conversion v = sql.conversion();
        c.setAutoCommit(false);
        try {
            exec(c, "SET LOCAL lock_timeout = " + config.ddl().lockTimeout().toMillis());
            // Writers wait from here to commit; readers go on until the renames.
            exec(c, "LOCK TABLE " + sql.table() + " IN SHARE ROW EXCLUSIVE MODE");
            while (replayIn(c, sql, 10_000) > 0) {
                // drain
            }
            verify(c, sql);
            for (String seq : ownedSequences(c, sql)) {
                exec(c, seq);
            }
            for (String statement : sql.swap()) {
                exec(c, statement);
            }
            repository.phase(c, v.id(), Conversion.Phase.DONE, null);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void verify(Connection c, ConversionSql sql) throws SQLException {
        Map<String, String> old = digests(c, sql.rangeDigest(sql.table()));
        Map<String, String> twin = digests(c, sql.rangeDigest(sql.twin()));
        if (!old.equals(twin)) {
            List<String> differ = new ArrayList<>();
            for (String range : old.keySet()) {
                if (!Objects.equals(old.get(range), twin.get(range))) {
                    differ.add(range + ": " + old.get(range) + " vs " + twin.get(range));
                }
            }
            twin.keySet().stream().filter(r -> !old.containsKey(r)).forEach(r -> differ.add(r + ": only in the twin"));
            throw new Mismatch("ranges differ (count/hash, old vs partitioned): " + String.join("; ", differ));
        }
    }

    private static Map<String, String> digests(Connection c, String query) throws SQLException {
        Map<String, String> byRange = new LinkedHashMap<>();
        try (var st = c.createStatement(); var rs = st.executeQuery(query)) {
            while (rs.next()) {
                byRange.put(rs.getString(1), rs.getLong(2) + "/" + rs.getLong(3));
            }
        }
        return byRange;
    }

    /** Sequences owned by the old table's columns move to the new table, so dropping the old one later keeps them. */
    private static List<String> ownedSequences(Connection c, ConversionSql sql) throws SQLException {
        List<String> statements = new ArrayList<>();
        try (var st = c.prepareStatement("""
                SELECT a.attname, pg_get_serial_sequence(?, a.attname) FROM pg_attribute a
                WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped""")) {
            st.setString(1, sql.table());
            st.setString(2, sql.table());
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        // pg_get_serial_sequence returns an already quoted, qualified name.
                        statements.add("ALTER SEQUENCE %s OWNED BY %s.%s".formatted(rs.getString(2), sql.twin(),
                                io.sluice.partitionmanager.policy.SqlIdentifier.quote(rs.getString(1))));
                    }
                }
            }
        }
        return statements;
    }

    private void setPhase(Connection c, Conversion v, Conversion.Phase phase, String error) throws SQLException {
        repository.phase(c, v.id(), phase, error);
    }

    private void fail(ConversionSql sql, String error) {
        try (Connection c = dataSource.getConnection()) {
            exec(c, "DROP TRIGGER IF EXISTS " + sql.trigger() + " ON " + sql.table());
            repository.phase(c, sql.conversion().id(), Conversion.Phase.FAILED, error);
        } catch (SQLException e) {
            LOG.warnf("Could not mark conversion %s failed: %s", sql.conversion().id(), e.getMessage());
        }
    }

    private static void cleanUp(Connection c, ConversionSql sql) {
        for (String statement : sql.cleanUp()) {
            try {
                exec(c, statement);
            } catch (SQLException e) {
                LOG.warnf("Clean-up of conversion %s: %s", sql.conversion().id(), e.getMessage());
            }
        }
    }

    private static void exec(Connection c, String statement) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static void pause(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
