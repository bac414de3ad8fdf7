package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.partitionmanager.conversion.shape.CarryPlan;
import io.sluice.partitionmanager.conversion.shape.TableShape;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.doctor.DefaultPartitionDoctor;
import io.sluice.partitionmanager.doctor.DrainTarget;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * What the twin gets once its rows are in, before the verification: rows that landed in the default partition moved
 * into partitions of their own (the default-partition doctor), the indexes (built in bulk, faster than maintained row
 * by row during the copy), the outgoing foreign keys (per partition NOT VALID, validated without blocking writers of
 * the referenced table, then attached to the parent without another scan), statistics targets, the owner, replica
 * identity of the partitions, and fresh statistics. Every step checks whether it is already done, so a resumed
 * conversion repeats none; the change log is replayed between the long ones.
 */
@ApplicationScoped
public class AfterCopy {

    private static final Logger LOG = Logger.getLogger(AfterCopy.class);

    /** Foreign-key violation: a twin row not yet replayed still points at a row deleted since. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final DefaultPartitionDoctor doctor;
    private final Catalog catalog;
    private final ChangeReplay replay;

    public AfterCopy(DefaultPartitionDoctor doctor, Catalog catalog, ChangeReplay replay) {
        this.doctor = doctor;
        this.catalog = catalog;
        this.replay = replay;
    }

    public void run(Connection c, ConversionSql sql, CarryPlan plan, TableShape old, long throttleMs)
            throws SQLException {
        Conversion v = sql.conversion();
        var drained = doctor.drain(c, new DrainTarget(v.schema(), sql.twinName(), v.table(), v.column(),
                sql.columnType(), v.interval(), ZoneOffset.UTC), v.batchSize(), null);
        if (drained.rowsMoved() > 0) {
            LOG.infof("Conversion %s: %d rows moved out of the twin's default partition", v.id(), drained.rowsMoved());
        }
        Set<String> built = twinIndexes(c, sql);
        for (CarryPlan.IndexStep step : plan.indexes()) {
            if (!built.contains(step.tempName())) {
                exec(c, step.statement());
                replay.catchUp(c, sql, throttleMs, null);
            }
        }
        for (CarryPlan.ForeignKeyStep key : plan.foreignKeys()) {
            addForeignKey(c, sql, key, throttleMs);
        }
        for (String statement : plan.statistics()) {
            exec(c, statement);
        }
        for (String relation : relationsOfTwin(c, sql)) {
            exec(c, "ALTER TABLE " + relation + " OWNER TO " + old.owner());
            switch (old.replicaIdentity()) {
                case 'f' -> exec(c, "ALTER TABLE " + relation + " REPLICA IDENTITY FULL");
                case 'n' -> exec(c, "ALTER TABLE " + relation + " REPLICA IDENTITY NOTHING");
                default -> {
                }
            }
        }
        exec(c, "ANALYZE " + sql.twin());
    }

    private void addForeignKey(Connection c, ConversionSql sql, CarryPlan.ForeignKeyStep key, long throttleMs)
            throws SQLException {
        if (hasConstraint(c, sql.twin(), key.printedName())) {
            return;
        }
        for (String partition : partitions(c, sql)) {
            if (!hasConstraint(c, partition, key.printedName())) {
                exec(c, "ALTER TABLE " + partition + " ADD CONSTRAINT " + key.printedName() + " " + key.definition()
                        + " NOT VALID");
            }
            for (int attempt = 1;; attempt++) {
                try {
                    exec(c, "ALTER TABLE " + partition + " VALIDATE CONSTRAINT " + key.printedName());
                    break;
                } catch (SQLException e) {
                    if (!FOREIGN_KEY_VIOLATION.equals(e.getSQLState()) || attempt >= 5) {
                        throw e;
                    }
                    replay.catchUp(c, sql, throttleMs, null);
                }
            }
        }
        // Each partition already has a valid, equal key: PostgreSQL attaches them instead of scanning again.
        exec(c, "ALTER TABLE " + sql.twin() + " ADD CONSTRAINT " + key.printedName() + " " + key.definition());
    }

    /** Temporary (quoted) names of the indexes already on the twin. */
    private static Set<String> twinIndexes(Connection c, ConversionSql sql) throws SQLException {
        Set<String> names = new HashSet<>();
        try (var st = c.prepareStatement("SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                + "WHERE x.indrelid = ?::regclass")) {
            st.setString(1, sql.twin());
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(SqlIdentifier.quote(rs.getString(1)));
                }
            }
        }
        return names;
    }

    private static boolean hasConstraint(Connection c, String relation, String printedName) throws SQLException {
        try (var st = c.prepareStatement(
                "SELECT 1 FROM pg_constraint WHERE conrelid = ?::regclass AND quote_ident(conname) = ?")) {
            st.setString(1, relation);
            st.setString(2, printedName);
            try (var rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The twin's partitions, quoted and qualified. */
    private List<String> partitions(Connection c, ConversionSql sql) throws SQLException {
        var twin = catalog.table(c, sql.conversion().schema(), sql.twinName()).orElseThrow(
                () -> new SQLException(sql.twin() + " is gone"));
        List<String> all = new ArrayList<>();
        for (var p : catalog.partitions(c, twin.oid())) {
            all.add(SqlIdentifier.quote(p.schema()) + "." + SqlIdentifier.quote(p.name()));
        }
        return all;
    }

    private List<String> relationsOfTwin(Connection c, ConversionSql sql) throws SQLException {
        List<String> all = new ArrayList<>(partitions(c, sql));
        all.add(0, sql.twin());
        return all;
    }

    private static void exec(Connection c, String statement) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
