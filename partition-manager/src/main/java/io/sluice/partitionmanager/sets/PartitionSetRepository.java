package io.sluice.partitionmanager.sets;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.policy.ArchiveTarget;
import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.policy.Retention;
import io.sluice.partitionmanager.policy.RetentionMode;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/** Set definitions in sluice_partman.partition_set. Blocking (JDBC): call on a worker thread. */
@ApplicationScoped
public class PartitionSetRepository {

    private static final String COLUMNS = """
            schema_name, table_name, column_name, interval_name, premake, retention_keep, retention_mode,
            archive_store, archive_path, timezone""";

    private static final String UPSERT = """
            INSERT INTO sluice_partman.partition_set (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (schema_name, table_name) DO UPDATE SET column_name = EXCLUDED.column_name,
              interval_name = EXCLUDED.interval_name, premake = EXCLUDED.premake,
              retention_keep = EXCLUDED.retention_keep, retention_mode = EXCLUDED.retention_mode,
              archive_store = EXCLUDED.archive_store, archive_path = EXCLUDED.archive_path, timezone = EXCLUDED.timezone, updated_at = now()
            """.formatted(COLUMNS);

    private final DataSource dataSource;

    public PartitionSetRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void save(Connection c, PartitionSet set) throws SQLException {
        try (var st = c.prepareStatement(UPSERT)) {
            st.setString(1, set.schema().name());
            st.setString(2, set.table().name());
            st.setString(3, set.column().name());
            st.setString(4, set.interval().name());
            st.setInt(5, set.premake());
            st.setString(6, set.retention().map(r -> r.keep().toString()).orElse(null));
            st.setString(7, set.retention().map(r -> r.mode().name()).orElse(null));
            st.setString(8, set.archive().map(ArchiveTarget::store).orElse(null));
            st.setString(9, set.archive().map(ArchiveTarget::path).orElse(null));
            st.setString(10, set.zone().getId());
            st.executeUpdate();
        }
    }

    /** All sets, ordered by name: maintenance takes them (and their locks) in this fixed order. */
    public List<PartitionSet> all() throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM sluice_partman.partition_set ORDER BY schema_name, table_name");
                var rs = st.executeQuery()) {
            List<PartitionSet> sets = new ArrayList<>();
            while (rs.next()) {
                sets.add(from(rs));
            }
            return sets;
        }
    }

    public Optional<PartitionSet> find(String schema, String table) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM sluice_partman.partition_set WHERE schema_name = ? AND table_name = ?")) {
            st.setString(1, schema);
            st.setString(2, table);
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(from(rs)) : Optional.empty();
            }
        }
    }

    public boolean delete(String schema, String table) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "DELETE FROM sluice_partman.partition_set WHERE schema_name = ? AND table_name = ?")) {
            st.setString(1, schema);
            st.setString(2, table);
            return st.executeUpdate() == 1;
        }
    }

    static PartitionSet from(ResultSet rs) throws SQLException {
        String keep = rs.getString("retention_keep");
        Optional<Retention> retention = keep == null ? Optional.empty()
                : Optional.of(new Retention(Period.parse(keep), RetentionMode.valueOf(rs.getString("retention_mode"))));
        String store = rs.getString("archive_store");
        Optional<ArchiveTarget> archive = store == null ? Optional.empty()
                : Optional.of(new ArchiveTarget(store, rs.getString("archive_path")));
        return new PartitionSet(new SqlIdentifier(rs.getString("schema_name")), new SqlIdentifier(rs.getString("table_name")),
                new SqlIdentifier(rs.getString("column_name")), Interval.valueOf(rs.getString("interval_name")),
                rs.getInt("premake"), retention, archive,
                ZoneId.of(rs.getString("timezone")));
    }
}
