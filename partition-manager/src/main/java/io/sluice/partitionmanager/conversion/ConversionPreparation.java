package io.sluice.partitionmanager.conversion;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.conversion.shape.CarryPlan;
import io.sluice.partitionmanager.conversion.shape.CarryPlanner;
import io.sluice.partitionmanager.conversion.shape.ShapeReader;
import io.sluice.partitionmanager.conversion.shape.TableShape;
import io.sluice.partitionmanager.conversion.shape.Unsupported;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Reads the table a conversion is about and works out its statements and carry plan, for a new conversion and again
 * each time one runs (so a resumed conversion works from the catalog as it is, not as it was).
 */
@ApplicationScoped
public class ConversionPreparation {

    /** The table as it is now, the conversion's statements and how its shape is carried. */
    public record Prepared(TableShape shape, ConversionSql sql, CarryPlan plan) {
    }

    private final Catalog catalog;
    private final ShapeReader reader;

    public ConversionPreparation(Catalog catalog, ShapeReader reader) {
        this.catalog = catalog;
        this.reader = reader;
    }

    /** For a stored conversion about to run: anything that makes it impossible now fails it ({@link Mismatch}). */
    public Prepared prepare(Connection c, Conversion v) throws SQLException {
        if (v.keyColumns().isEmpty()) {
            throw new Mismatch("started by an earlier partition-manager, which kept no carry plan: drop "
                    + v.schema() + "." + names(v).twinName()
                    + " and start the conversion again");
        }
        var table = catalog.table(c, v.schema(), v.table())
                .orElseThrow(() -> new Mismatch("table " + v.qualifiedName() + " no longer exists"));
        Prepared prepared = of(v, reader.read(c, table.oid()));
        if (hashesRecords(c, prepared.sql())) {
            var sql = prepared.sql();
            prepared = new Prepared(prepared.shape(), new ConversionSql(v, sql.keyTypes(), sql.columnType(),
                    sql.columns(), true), prepared.plan());
        }
        List<String> unaccepted = prepared.plan().unsupported().stream().map(Unsupported::id)
                .filter(id -> !v.accepted().contains(id)).toList();
        if (!prepared.plan().blockers().isEmpty() || !unaccepted.isEmpty()) {
            throw new Mismatch("the table changed since the conversion started: "
                    + String.join("; ", prepared.plan().blockers())
                    + (unaccepted.isEmpty() ? "" : " needs acceptance of " + unaccepted));
        }
        return prepared;
    }

    /** For a table read just now ({@code shape}) and a conversion of it (stored or a draft). */
    public Prepared of(Conversion v, TableShape shape) {
        List<String> keyTypes = v.keyColumns().stream()
                .map(k -> shape.column(k).orElseThrow(() -> new Mismatch("key column " + k + " is gone")).type())
                .toList();
        ColumnType columnType = shape.column(v.column()).flatMap(col -> ColumnType.fromCatalog(col.type()))
                .orElseThrow(() -> new Mismatch("column " + v.column() + " is gone or no longer a date or timestamp"));
        List<String> columns = shape.insertable().stream().map(col -> SqlIdentifier.quote(col.name())).toList();
        var sql = new ConversionSql(v, keyTypes, columnType, columns, false);
        return new Prepared(shape, sql, CarryPlanner.plan(shape, v.column(), sql.twin(), v.tag()));
    }

    /**
     * Whether a row's values can be hashed (every column type has a hash function): hash_record looks every type up
     * on its first row, so one row tells. An empty table costs nothing to hash as text.
     */
    private static boolean hashesRecords(Connection c, ConversionSql sql) {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql.probeRecordHash())) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    static String captureTrigger(Conversion v) {
        return names(v).trigger();
    }

    static String table(Conversion v) {
        return names(v).table();
    }

    static List<String> cleanUp(Conversion v) {
        return names(v).cleanUp();
    }

    /** The statements that only need the conversion's names. */
    private static ConversionSql names(Conversion v) {
        return new ConversionSql(v, List.of(), null, List.of(), false);
    }
}
