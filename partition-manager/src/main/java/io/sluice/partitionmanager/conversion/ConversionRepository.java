package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
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
                  batch_size, phase, total_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            st.setObject(1, v.id());
            st.setString(2, v.schema());
            st.setString(3, v.table());
            st.setString(4, v.column());
            st.setString(5, v.interval().name());
            st.setString(6, v.keyColumn());
            st.setInt(7, v.batchSize());
            st.setString(8, v.phase().name());
            st.setLong(9, v.totalRows());
            st.executeUpdate();
        }
    }

    /** Records a copied batch in the same transaction as the batch itself. */
    public void copied(Connection c, UUID id, String lastKey, long rows) throws SQLException {
        try (var st = c.prepareStatement("""
                UPDATE sluice_partman.conversion SET last_key = ?, copied_rows = copied_rows + ?, updated_at = now()
                WHERE id = ?""")) {
            st.setString(1, lastKey);
            st.setLong(2, rows);
            st.setObject(3, id);
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
        return new Conversion(rs.getObject("id", UUID.class), rs.getString("schema_name"), rs.getString("table_name"),
                rs.getString("column_name"), Interval.valueOf(rs.getString("interval_name")), rs.getString("key_column"),
                rs.getInt("batch_size"), Conversion.Phase.valueOf(rs.getString("phase")), rs.getString("last_key"),
                rs.getLong("copied_rows"), rs.getLong("total_rows"), rs.getLong("replayed_changes"),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("finished_at")), rs.getString("error"));
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
