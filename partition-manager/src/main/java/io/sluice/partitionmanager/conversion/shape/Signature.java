package io.sluice.partitionmanager.conversion.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import io.sluice.partitionmanager.conversion.shape.TableShape.Index;

/**
 * A table's shape as comparable lines, keyed by object ({@code index orders_pkey}, {@code trigger audit}, ...):
 * indexes by definition, constraints, incoming foreign keys, grants, triggers, policies, columns (type, not-null,
 * default, identity, statistics target, comment), owner, row security, replica identity and comments. Read for the
 * old table just before the swap and for the new one just after, so both print the same table name.
 */
public final class Signature {

    private Signature() {
    }

    /** The lines of {@code shape}, leaving out the conversion's own capture trigger. */
    public static SortedMap<String, String> of(TableShape shape, String captureTrigger) {
        SortedMap<String, String> lines = new TreeMap<>();
        lines.put("owner", shape.owner());
        String replicaIndex = shape.indexes().stream().filter(Index::replicaIdentity).map(Index::name).findFirst()
                .orElse("");
        lines.put("table", "row security " + shape.rowSecurity() + ", forced " + shape.forceRowSecurity()
                + ", replica identity " + shape.replicaIdentity() + replicaIndex + ", comment " + shape.comment());
        for (var c : shape.columns()) {
            lines.put("column " + c.name(), c.type() + (c.notNull() ? " NOT NULL" : "") + ", default " + c.defaultExpr()
                    + ", identity '" + c.identity() + "', generated '" + c.generated() + "', statistics "
                    + c.statistics() + ", sequence " + c.sequence() + (c.isIdentity() ? " at " + c.sequenceLast() : "")
                    + ", comment " + c.comment());
        }
        for (var i : shape.indexes()) {
            lines.put("index " + i.name(), indexLine(i, TableShape.indexTail(i, shape.printed())));
            if (i.isConstraint()) {
                lines.put("constraint " + i.constraintName(), i.constraintType() + " with index " + i.name()
                        + ", comment " + i.constraintComment());
            }
        }
        for (var c : shape.constraints()) {
            if (c.type() != 'x') {
                lines.put("constraint " + c.name(), c.type() + " " + valid(c.definition()) + ", comment " + c.comment());
            }
        }
        for (var k : shape.incoming()) {
            lines.put("referenced by " + k.table() + "." + k.name(), valid(k.definition()) + ", comment " + k.comment());
        }
        for (var t : shape.triggers()) {
            if (!t.printed().equals(captureTrigger)) {
                lines.put("trigger " + t.name(), t.definition() + ", enabled " + t.enabled() + ", comment " + t.comment());
            }
        }
        for (var p : shape.policies()) {
            lines.put("policy " + p.name(), (p.permissive() ? "PERMISSIVE " : "RESTRICTIVE ") + p.command() + " TO "
                    + p.roles() + " USING " + p.using() + " WITH CHECK " + p.check() + ", comment " + p.comment());
        }
        for (var g : shape.grants()) {
            String on = g.column() != null ? " on column " + g.column()
                    : g.sequenceOf() != null ? " on the identity sequence of " + g.sequenceOf() : "";
            lines.put("grant " + g.privilege() + on + " to " + g.grantee(), g.grantable() ? "with grant option" : "");
        }
        return lines;
    }

    /** How the index reads once created: kind and definition (a demoted unique index reads as plain). */
    static String indexLine(Index i, String tail) {
        return (i.primary() ? "primary " : i.unique() ? "unique " : "") + tail + ", comment " + i.comment();
    }

    /** A NOT VALID key is validated once re-pointed (PostgreSQL checks keys into a partitioned table at once). */
    private static String valid(String definition) {
        return definition.endsWith(" NOT VALID") ? definition.substring(0, definition.length() - 10) : definition;
    }

    /**
     * Every difference between what the new table should be ({@code expected}: the old table's lines with the
     * accepted changes applied) and what it is; empty when they are equivalent.
     */
    public static List<String> differences(Map<String, String> expected, Map<String, String> actual) {
        List<String> differences = new ArrayList<>();
        for (var e : expected.entrySet()) {
            String found = actual.get(e.getKey());
            if (found == null) {
                differences.add(e.getKey() + ": missing (expected " + e.getValue() + ")");
            } else if (!Objects.equals(found, e.getValue())) {
                differences.add(e.getKey() + ": expected " + e.getValue() + ", found " + found);
            }
        }
        actual.keySet().stream().filter(k -> !expected.containsKey(k))
                .forEach(k -> differences.add(k + ": unexpected (" + actual.get(k) + ")"));
        return differences;
    }
}
