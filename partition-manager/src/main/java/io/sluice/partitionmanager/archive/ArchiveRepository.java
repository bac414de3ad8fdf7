package io.sluice.partitionmanager.archive;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Archive manifests in sluice_partman.archive. */
@ApplicationScoped
public class ArchiveRepository {

    private static final String INSERT = """
            INSERT INTO sluice_partman.archive (id, schema_name, table_name, partition_name, range_from, range_to,
              row_count, columns, schema_hash, sha256, content_digest, store, location, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public ArchiveRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public void save(Connection c, ArchiveManifest m) throws SQLException {
        try (var st = c.prepareStatement(INSERT)) {
            st.setObject(1, m.id());
            st.setString(2, m.schema());
            st.setString(3, m.table());
            st.setString(4, m.partition());
            st.setString(5, m.from());
            st.setString(6, m.to());
            st.setLong(7, m.rowCount());
            st.setString(8, json.writeValueAsString(m.columns()));
            st.setString(9, m.schemaHash());
            st.setString(10, m.sha256());
            st.setString(11, m.contentDigest());
            st.setString(12, m.store());
            st.setString(13, m.location());
            st.setTimestamp(14, java.sql.Timestamp.from(m.createdAt()));
            st.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<ArchiveManifest> list() throws SQLException {
        try (var c = dataSource.getConnection();
                var st = c.prepareStatement("SELECT * FROM sluice_partman.archive ORDER BY created_at DESC LIMIT 1000");
                var rs = st.executeQuery()) {
            List<ArchiveManifest> all = new ArrayList<>();
            while (rs.next()) {
                all.add(from(rs));
            }
            return all;
        }
    }

    public Optional<ArchiveManifest> find(UUID id) throws SQLException {
        try (var c = dataSource.getConnection();
                var st = c.prepareStatement("SELECT * FROM sluice_partman.archive WHERE id = ?")) {
            st.setObject(1, id);
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(from(rs)) : Optional.empty();
            }
        }
    }

    public void markRestored(Connection c, UUID id) throws SQLException {
        try (var st = c.prepareStatement("UPDATE sluice_partman.archive SET restored_at = now() WHERE id = ?")) {
            st.setObject(1, id);
            st.executeUpdate();
        }
    }

    private ArchiveManifest from(ResultSet rs) throws SQLException {
        try {
            List<ArchiveManifest.Column> columns = json.readValue(rs.getString("columns"),
                    new TypeReference<List<ArchiveManifest.Column>>() {
                    });
            var restored = rs.getTimestamp("restored_at");
            UUID id = rs.getObject("id", UUID.class);
            return new ArchiveManifest(id, rs.getString("schema_name"), rs.getString("table_name"),
                    rs.getString("partition_name"), rs.getString("range_from"), rs.getString("range_to"),
                    rs.getLong("row_count"), columns, rs.getString("schema_hash"), rs.getString("sha256"),
                    rs.getString("content_digest"), rs.getString("store"), rs.getString("location"),
                    ArchiveService.fileName(id), rs.getTimestamp("created_at").toInstant(),
                    restored == null ? null : restored.toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
