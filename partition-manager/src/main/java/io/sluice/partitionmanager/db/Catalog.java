package io.sluice.partitionmanager.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.policy.SqlIdentifier;

/** What PostgreSQL's catalog says about a table: kind, columns, partition key, partitions and foreign keys. */
@ApplicationScoped
public class Catalog {

    /** A table as the catalog has it; {@code partitionColumns} is empty for a plain table. */
    public record TableInfo(long oid, boolean partitioned, String strategy, List<String> partitionColumns,
            Map<String, String> columnTypes) {
    }

    /** One attached partition; {@code from}/{@code to} are the bound literals as PostgreSQL prints them. */
    public record Partition(String schema, String name, String from, String to, boolean isDefault,
            boolean detachPending) {
    }

    /** A foreign key of {@code referencingTable} pointing at the partitioned parent. */
    public record ForeignKey(String name, String referencingTable, List<String> referencingColumns,
            List<String> referencedColumns) {
    }

    private static final String TABLE = """
            SELECT c.oid, c.relkind, p.partstrat,
                   (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(p.partattrs) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) AS key_columns
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_partitioned_table p ON p.partrelid = c.oid
            WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')""";

    private static final String COLUMNS = """
            SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum""";

    private static final String PARTITIONS = """
            SELECT n.nspname, c.relname, pg_get_expr(c.relpartbound, c.oid), i.inhdetachpending
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE i.inhparent = ? ORDER BY c.relname""";

    private static final String FOREIGN_KEYS = """
            SELECT con.conname, format('%I.%I', n.nspname, c.relname),
                   (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                   (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE con.contype = 'f' AND con.confrelid = ? AND con.conparentid = 0""";

    public Optional<TableInfo> table(Connection c, String schema, String table) throws SQLException {
        try (var st = c.prepareStatement(TABLE)) {
            st.setString(1, schema);
            st.setString(2, table);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long oid = rs.getLong(1);
                boolean partitioned = "p".equals(rs.getString(2));
                var keys = rs.getArray(4);
                List<String> keyColumns = keys == null ? List.of() : List.of((String[]) keys.getArray());
                return Optional.of(new TableInfo(oid, partitioned, rs.getString(3), keyColumns, columns(c, oid)));
            }
        }
    }

    private Map<String, String> columns(Connection c, long oid) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (var st = c.prepareStatement(COLUMNS)) {
            st.setLong(1, oid);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    /** The quoted columns an INSERT may name, in table order (generated columns are computed, never inserted). */
    public List<String> insertableColumns(Connection c, long oid) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (var st = c.prepareStatement("""
                SELECT attname FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped
                AND attgenerated = '' ORDER BY attnum""")) {
            st.setLong(1, oid);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(SqlIdentifier.quote(rs.getString(1)));
                }
            }
        }
        return columns;
    }

    public List<Partition> partitions(Connection c, long parentOid) throws SQLException {
        List<Partition> partitions = new ArrayList<>();
        try (var st = c.prepareStatement(PARTITIONS)) {
            st.setLong(1, parentOid);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    partitions.add(partition(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return partitions;
    }

    public List<ForeignKey> referencing(Connection c, long parentOid) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (var st = c.prepareStatement(FOREIGN_KEYS)) {
            st.setLong(1, parentOid);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ForeignKey(rs.getString(1), rs.getString(2),
                            List.of((String[]) rs.getArray(3).getArray()), List.of((String[]) rs.getArray(4).getArray())));
                }
            }
        }
        return keys;
    }

    private static final java.util.regex.Pattern RANGE =
            java.util.regex.Pattern.compile("FOR VALUES FROM \\('([^']*)'\\) TO \\('([^']*)'\\)");

    static Partition partition(String schema, String name, String bound, boolean detachPending) {
        if ("DEFAULT".equals(bound)) {
            return new Partition(schema, name, null, null, true, detachPending);
        }
        var m = RANGE.matcher(bound == null ? "" : bound);
        // MINVALUE/MAXVALUE or multi-column bounds are not ours to manage: kept, with no parsed range.
        return m.matches() ? new Partition(schema, name, m.group(1), m.group(2), false, detachPending)
                : new Partition(schema, name, null, null, false, detachPending);
    }
}
