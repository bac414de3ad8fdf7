package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.conversion.shape.TableShape;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/** What only the live database can tell about a new conversion: free names, ownership, NULLs, the rows' span. */
@ApplicationScoped
public class ConversionChecks {

    /** Partitions made ahead of today in the twin, like a set's default premake; later rows go to its default. */
    static final int PREMAKE = 4;

    private final Clock clock;

    public ConversionChecks(Clock clock) {
        this.clock = clock;
    }

    /** Reasons the conversion cannot start: names it needs are taken, or it could not give the table its owner. */
    public List<String> blockers(Connection c, ConversionSql sql, TableShape shape) throws SQLException {
        List<String> blockers = new ArrayList<>();
        for (String name : List.of(sql.twinName(), sql.oldName(), sql.defaultName())) {
            if (exists(c, sql.conversion().schema(), name)) {
                blockers.add(name + " already exists (a failed conversion leaves its twin: drop it first)");
            }
        }
        try (var st = c.prepareStatement("""
                SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'MEMBER') FROM pg_roles r, pg_class c
                WHERE r.rolname = current_user AND c.oid = ?""")) {
            st.setLong(1, shape.oid());
            try (var rs = st.executeQuery()) {
                if (rs.next() && !rs.getBoolean(1)) {
                    blockers.add("partition-manager's database role cannot make the new table owned by " + shape.owner()
                            + ": make it a member of that role");
                }
            }
        }
        return blockers;
    }

    /**
     * First and last day of the twin's partitions: from the oldest row (UTC) to {@value #PREMAKE} intervals after
     * today; rows later than that go to the default partition and get partitions of their own before the swap.
     * NULLs in the column are a blocker (the partition column joins the primary key), as are partition names taken.
     */
    public LocalDate[] span(Connection c, ConversionSql sql, List<String> blockers) throws SQLException {
        String day = sql.columnType() == ColumnType.TIMESTAMPTZ ? "(%s AT TIME ZONE 'UTC')::date" : "%s::date";
        String d = day.formatted(sql.column());
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try (var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT min(%s), bool_or(%s IS NULL) FROM %s".formatted(d, sql.column(), sql.table()))) {
            rs.next();
            if (rs.getBoolean(2)) {
                blockers.add("column " + sql.conversion().column() + " has NULLs: they fit no range partition");
            }
            LocalDate min = rs.getDate(1) == null ? today : rs.getDate(1).toLocalDate();
            LocalDate last = today;
            for (int i = 0; i < PREMAKE; i++) {
                last = sql.conversion().interval().next(last);
            }
            LocalDate first = min.isBefore(today) ? min : today;
            for (LocalDate from : sql.partitionStarts(first, last)) {
                if (exists(c, sql.conversion().schema(), sql.partitionName(from))) {
                    blockers.add(sql.partitionName(from) + " already exists");
                }
            }
            return new LocalDate[] { first, last };
        }
    }

    /**
     * The rows to copy, for progress and ETA: the planner's estimate when the table has been analyzed (a count of a
     * big table would scan it once more before the copy even starts), else a count.
     */
    public long count(Connection c, ConversionSql sql) throws SQLException {
        try (var st = c.prepareStatement(
                "SELECT CASE WHEN reltuples >= 0 THEN reltuples::bigint END FROM pg_class WHERE oid = ?::regclass")) {
            st.setString(1, sql.table());
            try (var rs = st.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    return rs.getLong(1);
                }
            }
        }
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM " + sql.table())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean exists(Connection c, String schema, String name) throws SQLException {
        try (var st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, SqlIdentifier.quote(schema) + "." + SqlIdentifier.quote(name));
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
