package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;

/**
 * Applies the change log to the twin: for each logged key, the twin's rows with that key are deleted and the old
 * table's current row (if any) copied again, which is idempotent. The log entries are taken in the same transaction,
 * so a crash repeats or loses nothing. Every replayed key can be reported to a {@link ChangedKeys} (the keys the
 * verification must look at again).
 */
@ApplicationScoped
public class ChangeReplay {

    private static final Logger LOG = Logger.getLogger(ChangeReplay.class);

    /** Unique violation: the batch met a row of a key still waiting in the log (a value moved between two rows). */
    private static final String UNIQUE_VIOLATION = "23505";

    private final ConversionRepository repository;
    private final PartitionManagerMetrics metrics;

    public ChangeReplay(ConversionRepository repository, PartitionManagerMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
    }

    /** Replays batches until one comes back short, pausing {@code throttleMs} between them. */
    public void catchUp(Connection c, ConversionSql sql, long throttleMs, ChangedKeys sink) throws SQLException {
        while (batch(c, sql, sql.conversion().batchSize(), sink) >= sql.conversion().batchSize()) {
            Pause.of(throttleMs);
        }
    }

    /** Replays one batch of logged keys in its own transaction; returns how many log entries it took. */
    public int batch(Connection c, ConversionSql sql, int batch, ChangedKeys sink) throws SQLException {
        try {
            return inTransaction(c, sql, batch, sink);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            // Replaying every pending key at once reproduces one consistent state of the old table.
            LOG.infof("Replay of conversion %s met a pending key (%s): replaying the whole log at once",
                    sql.conversion().id(), e.getMessage());
            return inTransaction(c, sql, Integer.MAX_VALUE, sink);
        }
    }

    private int inTransaction(Connection c, ConversionSql sql, int batch, ChangedKeys sink) throws SQLException {
        c.setAutoCommit(false);
        try {
            int taken = replayIn(c, sql, batch, sink);
            c.commit();
            return taken;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Replays the whole log inside the caller's transaction (the swap's); returns the entries taken. */
    public long drainIn(Connection c, ConversionSql sql, ChangedKeys sink) throws SQLException {
        long total = 0;
        for (int taken; (taken = replayIn(c, sql, 10_000, sink)) > 0;) {
            total += taken;
        }
        return total;
    }

    private int replayIn(Connection c, ConversionSql sql, int batch, ChangedKeys sink) throws SQLException {
        List<List<String>> taken = new ArrayList<>();
        try (var st = c.prepareStatement(sql.takeChanges())) {
            st.setInt(1, batch);
            try (var rs = st.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> key = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        key.add(rs.getString(i));
                    }
                    taken.add(key);
                }
            }
        }
        if (taken.isEmpty()) {
            return 0;
        }
        ChangedKeys keys = new ChangedKeys();
        taken.forEach(keys::add);
        KeyLookups.run(c, () -> {
            for (String statement : List.of(sql.deleteChanged(), sql.insertChanged())) {
                try (var st = c.prepareStatement(statement)) {
                    sql.bindKeys(st, 1, keys);
                    st.executeUpdate();
                }
            }
        });
        repository.replayed(c, sql.conversion().id(), taken.size());
        metrics.recordReplayed(taken.size());
        if (sink != null) {
            sink.addAll(keys);
        }
        return taken.size();
    }
}
