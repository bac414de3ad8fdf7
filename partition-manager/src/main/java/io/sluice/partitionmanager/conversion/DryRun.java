package io.sluice.partitionmanager.conversion;

import java.util.ArrayList;
import java.util.List;

import io.sluice.partitionmanager.conversion.shape.CarryPlan;
import io.sluice.partitionmanager.conversion.shape.SwapStatements;
import io.sluice.partitionmanager.conversion.shape.TableShape;
import io.sluice.partitionmanager.db.Names;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/** Pure: every statement a conversion will run, in order, with a comment line before each stage. */
final class DryRun {

    private DryRun() {
    }

    static List<String> statements(List<String> start, ConversionPreparation.Prepared prepared, int batch) {
        ConversionSql sql = prepared.sql();
        CarryPlan plan = prepared.plan();
        TableShape shape = prepared.shape();
        List<String> ddl = new ArrayList<>();
        ddl.add("-- 1. start, in one transaction:");
        ddl.addAll(start);
        ddl.add("-- 2. copy in key order, " + batch + " rows per transaction (committed with the last key copied):");
        ddl.add(sql.copyBatch(false).replace('\n', ' '));
        ddl.add("-- 3. replay of the change log (also between the steps below):");
        ddl.add(sql.deleteChanged());
        ddl.add(sql.insertChanged());
        ddl.add("-- 4. rows in " + sql.defaultName() + " moved into partitions of their own (default-partition doctor),"
                + " then:");
        plan.indexes().forEach(i -> ddl.add(i.statement()));
        for (var key : plan.foreignKeys()) {
            ddl.add("ALTER TABLE <each partition> ADD CONSTRAINT " + key.printedName() + " " + key.definition()
                    + " NOT VALID; ALTER TABLE <each partition> VALIDATE CONSTRAINT " + key.printedName());
            ddl.add("ALTER TABLE " + sql.twin() + " ADD CONSTRAINT " + key.printedName() + " " + key.definition());
        }
        ddl.addAll(plan.statistics());
        ddl.add("ALTER TABLE " + sql.twin() + " OWNER TO " + shape.owner() + "  -- and each partition");
        ddl.add("ANALYZE " + sql.twin());
        ddl.add("-- 5. verification, no lock: every range's count and hash in one snapshot, then the keys changed since");
        ddl.add("-- 6. swap, in one transaction (reads and writes of the table wait): the change log's tail replayed, "
                + "the keys changed since 5 compared, then:");
        List<String> locked = new ArrayList<>(List.of(sql.table()));
        shape.incoming().forEach(k -> locked.add(k.table()));
        ddl.add("LOCK TABLE " + String.join(", ", locked) + " IN ACCESS EXCLUSIVE MODE");
        ddl.addAll(SwapStatements.of(shape, predictedTwin(shape, sql), plan, sql.conversion().tag(), sql.oldName(),
                sql.trigger()));
        ddl.add("-- then the catalogs of old and new are compared: any difference rolls the swap back");
        return ddl;
    }

    /** The twin as it will be: the table's shape under the twin's name, identity sequences named as PostgreSQL will. */
    private static TableShape predictedTwin(TableShape shape, ConversionSql sql) {
        String schema = SqlIdentifier.quote(shape.schema()) + ".";
        var columns = shape.columns().stream().map(c -> !c.isIdentity() ? c : new TableShape.Column(c.name(),
                c.printed(), c.type(), c.notNull(), c.defaultExpr(), c.identity(), c.generated(), c.statistics(),
                c.comment(), schema + SqlIdentifier.quote(Names.fit(sql.twinName() + "_" + c.name(), "_seq")),
                null, null)).toList();
        return new TableShape(shape.oid(), shape.schema(), sql.twinName(), sql.twin(), shape.owner(), 'p',
                shape.persistence(), false, false, shape.replicaIdentity(), false, false, false, null, null, columns,
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
