package io.sluice.partitionmanager.conversion;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.policy.Interval;

/** Conversions in sluice_partman.conversion. */
@ApplicationScoped
public class ConversionRepository {

    private final DataSource dataSource;

    public ConversionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(Connection c, Conversion v) throws SQLException {
        try (var st = c.prepareStatement("""
                INSERT INTO sluice_partman.conversion (id, schema_name, table_name, column_name, interval_name, key_column,
                  key_columns, batch_size, throttle_ms, phase, total_rows, accepted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            st.setObject(1, v.id());
            st.setString(2, v.schema());
            st.setString(3, v.table());
            st.setString(4, v.column());
            st.setString(5, v.interval().name());
            st.setString(6, v.keyColumns().get(0));
            st.setArray(7, c.createArrayOf("text", v.keyColumns().toArray()));
            st.setInt(8, v.batchSize());
            st.setInt(9, v.throttleMs());
            st.setString(10, v.phase().name());
            st.setLong(11, v.totalRows());
            st.setArray(12, c.createArrayOf("text", v.accepted().toArray()));
            st.executeUpdate();
        }
    }

    /** Records a copied batch in the same transaction as the batch itself. */
    public void copied(Connection c, UUID id, List<String> lastKey, long rows) throws SQLException {
        try (var st = c.prepareStatement("""
                UPDATE sluice_partman.conversion SET last_key = ?, last_key_parts = ?, copied_rows = copied_rows + ?,
                  updated_at = now() WHERE id = ?""")) {
            st.setString(1, lastKey.get(0));
            st.setArray(2, c.createArrayOf("text", lastKey.toArray()));
            st.setLong(3, rows);
            st.setObject(4, id);
            st.executeUpdate();
        }
    }

    public void replayed(Connection c, UUID id, long changes) throws SQLException {
        try (var st = c.prepareStatement("""
                UPDATE sluice_partman.conversion SET replayed_changes = replayed_changes + ?, updated_at = now()
                WHERE id = ?""")) {
            st.setLong(1, changes);
            st.setObject(2, id);
            st.executeUpdate();
        }
    }

    public void phase(Connection c, UUID id, Conversion.Phase phase, String error) throws SQLException {
        try (var st = c.prepareStatement("""
                UPDATE sluice_partman.conversion SET phase = ?, error = ?, updated_at = now(),
                  finished_at = CASE WHEN ? IN ('DONE', 'FAILED') THEN now() END WHERE id = ?""")) {
            st.setString(1, phase.name());
            st.setString(2, error);
            st.setString(3, phase.name());
            st.setObject(4, id);
            st.executeUpdate();
        }
    }

    /** The swap's outcome, written inside the swap's transaction. */
    public void swapped(Connection c, UUID id, Conversion.Equivalence equivalence, Conversion.SwapFigures swap)
            throws SQLException {
        try (var st = c.prepareStatement("""
                UPDATE sluice_partman.conversion SET phase = 'DONE', error = NULL, updated_at = now(), finished_at = now(),
                  equivalence_passed = ?, equivalence_compared = ?, equivalence_differences = ?, swap_lock_ms = ?,
                  swap_lock_wait_ms = ?, swap_attempts = ?, swap_tail_changes = ?, swap_rechecked_keys = ? WHERE id = ?""")) {
            st.setBoolean(1, equivalence.passed());
            st.setInt(2, equivalence.compared());
            st.setArray(3, c.createArrayOf("text", equivalence.differences().toArray()));
            st.setLong(4, swap.lockMs());
            st.setLong(5, swap.lockWaitMs());
            st.setInt(6, swap.attempts());
            st.setLong(7, swap.tailChanges());
            st.setLong(8, swap.recheckedKeys());
            st.setObject(9, id);
            st.executeUpdate();
        }
    }

    /** The lock time measured once the swap committed (the one written inside it stops before the commit). */
    public void lockHeld(UUID id, long millis) throws SQLException {
        try (var c = dataSource.getConnection();
                var st = c.prepareStatement("UPDATE sluice_partman.conversion SET swap_lock_ms = ? WHERE id = ?")) {
            st.setLong(1, millis);
            st.setObject(2, id);
            st.executeUpdate();
        }
    }

    /** A schema mismatch found by the swap (which rolled back): the conversion failed with these differences. */
    public void mismatched(Connection c, UUID id, Conversion.Equivalence equivalence) throws SQLException {
        try (var st = c.prepareStatement("""
                UPDATE sluice_partman.conversion SET equivalence_passed = ?, equivalence_compared = ?,
                  equivalence_differences = ? WHERE id = ?""")) {
            st.setBoolean(1, equivalence.passed());
            st.setInt(2, equivalence.compared());
            st.setArray(3, c.createArrayOf("text", equivalence.differences().toArray()));
            st.setObject(4, id);
            st.executeUpdate();
        }
    }

    public void error(UUID id, String error) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "UPDATE sluice_partman.conversion SET error = ?, updated_at = now() WHERE id = ?")) {
            st.setString(1, error);
            st.setObject(2, id);
            st.executeUpdate();
        }
    }

    public Optional<Conversion> find(UUID id) throws SQLException {
        try (var c = dataSource.getConnection();
                var st = c.prepareStatement("SELECT * FROM sluice_partman.conversion WHERE id = ?")) {
            st.setObject(1, id);
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(from(rs)) : Optional.empty();
            }
        }
    }

    /** The newest conversions first, at most {@code limit}. */
    public List<Conversion> recent(int limit) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "SELECT * FROM sluice_partman.conversion ORDER BY started_at DESC LIMIT ?")) {
            st.setInt(1, limit);
            try (var rs = st.executeQuery()) {
                List<Conversion> all = new ArrayList<>();
                while (rs.next()) {
                    all.add(from(rs));
                }
                return all;
            }
        }
    }

    /** Conversions that have not finished: resumed at start-up. */
    public List<Conversion> unfinished() throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "SELECT * FROM sluice_partman.conversion WHERE phase NOT IN ('DONE', 'FAILED') ORDER BY started_at");
                var rs = st.executeQuery()) {
            List<Conversion> all = new ArrayList<>();
            while (rs.next()) {
                all.add(from(rs));
            }
            return all;
        }
    }

    public boolean activeOn(Connection c, String schema, String table) throws SQLException {
        try (var st = c.prepareStatement("""
                SELECT 1 FROM sluice_partman.conversion WHERE schema_name = ? AND table_name = ?
                AND phase NOT IN ('DONE', 'FAILED')""")) {
            st.setString(1, schema);
            st.setString(2, table);
            try (var rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Conversion from(ResultSet rs) throws SQLException {
        List<String> lastKey = strings(rs.getArray("last_key_parts"));
        if (lastKey.isEmpty() && rs.getString("last_key") != null) {
            lastKey = List.of(rs.getString("last_key"));
        }
        Boolean passed = (Boolean) rs.getObject("equivalence_passed");
        Long lockMs = (Long) rs.getObject("swap_lock_ms");
        return new Conversion(rs.getObject("id", UUID.class), rs.getString("schema_name"), rs.getString("table_name"),
                rs.getString("column_name"), Interval.valueOf(rs.getString("interval_name")),
                strings(rs.getArray("key_columns")), rs.getInt("batch_size"), rs.getInt("throttle_ms"),
                Conversion.Phase.valueOf(rs.getString("phase")), lastKey, rs.getLong("copied_rows"),
                rs.getLong("total_rows"), rs.getLong("replayed_changes"), strings(rs.getArray("accepted")),
                passed == null ? null : new Conversion.Equivalence(passed, rs.getInt("equivalence_compared"),
                        strings(rs.getArray("equivalence_differences"))),
                lockMs == null ? null : new Conversion.SwapFigures(lockMs, rs.getLong("swap_lock_wait_ms"),
                        rs.getInt("swap_attempts"),
                        rs.getLong("swap_tail_changes"), rs.getLong("swap_rechecked_keys")),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("finished_at")), rs.getString("error"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
