package io.sluice.partitionmanager.conversion.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.sluice.partitionmanager.conversion.shape.TableShape.Index;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Pure: the statements of the swap, made from the old table's shape read under the swap's lock (so grants, triggers,
 * policies and comments are as they are at that moment, not as they were when the conversion started). The old
 * table's objects that the new one takes the names of are renamed first; then the tables; then everything written
 * with the table's name ({@code old.printed()}) lands on the new table.
 */
public final class SwapStatements {

    private SwapStatements() {
    }

    public static List<String> of(TableShape old, TableShape twin, CarryPlan plan, String tag, String oldName,
            String captureTrigger) {
        String t = old.printed();
        String schema = SqlIdentifier.quote(old.schema()) + ".";
        List<String> sql = new ArrayList<>();
        sql.add("DROP TRIGGER " + captureTrigger + " ON " + t);
        List<Index> carried = old.indexes().stream()
                .filter(i -> i.constraintType() == null || i.constraintType() != 'x').toList();
        for (Index i : carried) {
            String alias = SqlIdentifier.quote(CarryPlanner.oldAlias(tag, i.name()));
            sql.add(i.isConstraint() ? "ALTER TABLE " + t + " RENAME CONSTRAINT " + quote(i.constraintName()) + " TO "
                    + alias : "ALTER INDEX " + schema + i.printed() + " RENAME TO " + alias);
        }
        for (var c : old.columns()) {
            if (c.isIdentity()) {
                sql.add("ALTER SEQUENCE " + c.sequence() + " RENAME TO "
                        + SqlIdentifier.quote(CarryPlanner.oldAlias(tag, c.sequenceName())));
            }
        }
        sql.add("ALTER TABLE " + t + " RENAME TO " + SqlIdentifier.quote(oldName));
        sql.add("ALTER TABLE " + SqlIdentifier.quote(twin.schema()) + "." + SqlIdentifier.quote(twin.name())
                + " RENAME TO " + SqlIdentifier.quote(old.name()));
        for (Index i : carried) {
            String temp = SqlIdentifier.quote(CarryPlanner.tempName(tag, i.name()));
            sql.add(keptAsConstraint(i, plan, temp) ? "ALTER TABLE " + t + " RENAME CONSTRAINT " + temp + " TO "
                    + quote(i.constraintName()) : "ALTER INDEX " + schema + temp + " RENAME TO " + i.printed());
        }
        sequences(old, twin, sql);
        for (var k : old.incoming()) {
            sql.add("ALTER TABLE " + k.table() + " DROP CONSTRAINT " + k.printed());
            sql.add("ALTER TABLE " + k.table() + " ADD CONSTRAINT " + k.printed() + " " + k.definition());
        }
        for (var g : old.grants()) {
            String on = g.sequenceOf() != null ? "SEQUENCE " + old.column(g.sequenceOf()).orElseThrow().sequence()
                    : "TABLE " + t;
            sql.add("GRANT " + g.privilege() + (g.column() != null ? " (" + g.column() + ")" : "") + " ON " + on
                    + " TO " + g.grantee() + (g.grantable() ? " WITH GRANT OPTION" : ""));
        }
        if (old.rowSecurity()) {
            sql.add("ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY");
        }
        if (old.forceRowSecurity()) {
            sql.add("ALTER TABLE " + t + " FORCE ROW LEVEL SECURITY");
        }
        for (var p : old.policies()) {
            sql.add("CREATE POLICY " + p.printed() + " ON " + t + " AS " + (p.permissive() ? "PERMISSIVE" : "RESTRICTIVE")
                    + " FOR " + p.command() + " TO " + p.roles() + (p.using() == null ? "" : " USING (" + p.using() + ")")
                    + (p.check() == null ? "" : " WITH CHECK (" + p.check() + ")"));
        }
        for (var tr : old.triggers()) {
            if (tr.rowTransition() || tr.printed().equals(captureTrigger)) {
                continue;
            }
            sql.add(tr.definition());
            switch (tr.enabled()) {
                case 'D' -> sql.add("ALTER TABLE " + t + " DISABLE TRIGGER " + tr.printed());
                case 'R' -> sql.add("ALTER TABLE " + t + " ENABLE REPLICA TRIGGER " + tr.printed());
                case 'A' -> sql.add("ALTER TABLE " + t + " ENABLE ALWAYS TRIGGER " + tr.printed());
                default -> {
                }
            }
        }
        comments(old, twin, carried, plan, tag, sql);
        replicaIdentity(old, plan, sql);
        return sql;
    }

    /** Identity sequences: the twin's takes the old one's name and value; owned (serial) ones move to the new table. */
    private static void sequences(TableShape old, TableShape twin, List<String> sql) {
        String schema = SqlIdentifier.quote(old.schema()) + ".";
        for (var c : old.columns()) {
            if (c.isIdentity()) {
                var mine = twin.column(c.name()).orElseThrow();
                sql.add("ALTER SEQUENCE " + mine.sequence() + " RENAME TO " + SqlIdentifier.quote(c.sequenceName()));
                if (c.sequenceLast() != null) {
                    sql.add("SELECT setval(" + literal(schema + SqlIdentifier.quote(c.sequenceName())) + ", "
                            + c.sequenceLast() + ", true)");
                }
            } else if (c.sequence() != null) {
                sql.add("ALTER SEQUENCE " + c.sequence() + " OWNED BY " + old.printed() + "." + c.printed());
            }
        }
    }

    /** A primary key, or a unique constraint that includes the partition key (the others become plain indexes). */
    private static boolean keptAsConstraint(Index i, CarryPlan plan, String temp) {
        return i.primary() || (i.isConstraint() && plan.indexes().stream()
                .anyMatch(s -> s.tempName().equals(temp) && s.statement().contains(" ADD CONSTRAINT ")));
    }

    private static void comments(TableShape old, TableShape twin, List<Index> carried, CarryPlan plan, String tag,
            List<String> sql) {
        String t = old.printed();
        String schema = SqlIdentifier.quote(old.schema()) + ".";
        if (old.comment() != null) {
            sql.add("COMMENT ON TABLE " + t + " IS " + old.comment());
        }
        for (var c : old.columns()) {
            String now = twin.column(c.name()).map(TableShape.Column::comment).orElse(null);
            if (!Objects.equals(now, c.comment())) {
                sql.add("COMMENT ON COLUMN " + t + "." + c.printed() + " IS " + (c.comment() == null ? "NULL" : c.comment()));
            }
        }
        for (Index i : carried) {
            if (i.comment() != null) {
                sql.add("COMMENT ON INDEX " + schema + i.printed() + " IS " + i.comment());
            }
            if (i.constraintComment() != null
                    && keptAsConstraint(i, plan, SqlIdentifier.quote(CarryPlanner.tempName(tag, i.name())))) {
                sql.add("COMMENT ON CONSTRAINT " + quote(i.constraintName()) + " ON " + t + " IS " + i.constraintComment());
            }
        }
        for (var c : old.constraints()) {
            if (c.type() == 'f' && c.comment() != null) {
                sql.add("COMMENT ON CONSTRAINT " + c.printed() + " ON " + t + " IS " + c.comment());
            }
        }
        for (var k : old.incoming()) {
            if (k.comment() != null) {
                sql.add("COMMENT ON CONSTRAINT " + k.printed() + " ON " + k.table() + " IS " + k.comment());
            }
        }
        for (var tr : old.triggers()) {
            if (tr.comment() != null && !tr.rowTransition()) {
                sql.add("COMMENT ON TRIGGER " + tr.printed() + " ON " + t + " IS " + tr.comment());
            }
        }
        for (var p : old.policies()) {
            if (p.comment() != null) {
                sql.add("COMMENT ON POLICY " + p.printed() + " ON " + t + " IS " + p.comment());
            }
        }
    }

    private static void replicaIdentity(TableShape old, CarryPlan plan, List<String> sql) {
        String t = old.printed();
        switch (old.replicaIdentity()) {
            case 'f' -> sql.add("ALTER TABLE " + t + " REPLICA IDENTITY FULL");
            case 'n' -> sql.add("ALTER TABLE " + t + " REPLICA IDENTITY NOTHING");
            case 'i' -> old.indexes().stream().filter(Index::replicaIdentity)
                    .filter(i -> plan.unsupported().stream().noneMatch(u -> u.id().equals("replica-identity")))
                    .findFirst().ifPresent(i -> sql.add("ALTER TABLE " + t + " REPLICA IDENTITY USING INDEX " + i.printed()));
            default -> {
            }
        }
    }

    /** An SQL string literal that is safe whatever standard_conforming_strings says (escape-string syntax). */
    static String literal(String text) {
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String quote(String name) {
        return SqlIdentifier.quote(name);
    }
}
