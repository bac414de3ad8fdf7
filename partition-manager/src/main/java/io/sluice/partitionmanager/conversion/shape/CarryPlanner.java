package io.sluice.partitionmanager.conversion.shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sluice.partitionmanager.conversion.shape.TableShape.Index;
import io.sluice.partitionmanager.db.Names;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Pure: decides, from the old table's shape and the partition column, how each part reaches the twin and what
 * cannot. PostgreSQL 15 requires every unique index of a partitioned table to include the partition key, has no
 * exclusion constraints, NOT VALID foreign keys, ROW triggers with transition tables or storage parameters on one,
 * and checks a foreign key into it by the referenced table's unique key.
 */
public final class CarryPlanner {

    private CarryPlanner() {
    }

    /** The twin's temporary name for an index, unique to the conversion ({@code tag}). */
    public static String tempName(String tag, String original) {
        return "sluice_" + tag + "_" + Names.hash8(original);
    }

    /** What an old index, constraint or sequence is renamed to at the swap, freeing its name for the new table. */
    public static String oldAlias(String tag, String original) {
        return Names.fit(original, "_u" + Names.hash8(original + tag));
    }

    public static CarryPlan plan(TableShape old, String partitionColumn, String twin, String tag) {
        List<String> blockers = new ArrayList<>();
        List<Unsupported> unsupported = new ArrayList<>();
        Map<String, String> changed = new HashMap<>();
        List<String> dropped = new ArrayList<>();
        var part = old.column(partitionColumn).orElseThrow();
        String partPrinted = part.printed();
        var oldLines = Signature.of(old, "");
        refuseWhatCannotBePartitioned(old, partitionColumn, blockers);

        String primaryKey = null;
        List<CarryPlan.IndexStep> indexes = new ArrayList<>();
        for (Index i : old.indexes()) {
            String tail = TableShape.indexTail(i, old.printed());
            if (tail == null) {
                blockers.add("index " + i.name() + ": its definition could not be read (" + i.definition() + ")");
                continue;
            }
            String temp = SqlIdentifier.quote(tempName(tag, i.name()));
            boolean coversKey = i.keyNames().contains(partitionColumn);
            if (i.tablespace() != null) {
                unsupported.add(new Unsupported("tablespace:" + i.name(), "index " + i.name(),
                        "it is in tablespace " + i.tablespace() + "; the new one is built in the default tablespace"));
            }
            if (i.constraintType() != null && i.constraintType() == 'x') {
                unsupported.add(new Unsupported("exclusion:" + i.constraintName(), "constraint " + i.constraintName(),
                        "PostgreSQL 15 has no exclusion constraints on partitioned tables: it is not carried"));
                dropped.add("index " + i.name());
                dropped.add("constraint " + i.constraintName());
            } else if (i.primary()) {
                List<String> keys = new ArrayList<>(i.keys());
                if (!coversKey) {
                    keys.add(partPrinted);
                    unsupported.add(new Unsupported("primary-key:" + i.constraintName(), "primary key " + i.constraintName()
                            + " (" + String.join(", ", i.keyNames()) + ")", "PostgreSQL 15 requires the partition key in "
                            + "every unique index of a partitioned table: it becomes (" + String.join(", ", keys)
                            + "), so the key alone is no longer unique across partitions"
                            + (part.notNull() ? "" : ", and " + partitionColumn + " becomes NOT NULL")));
                    changed.put("index " + i.name(), Signature.indexLine(i, widen(tail, i.keys(), partPrinted)));
                    changed.put("column " + partitionColumn, oldLines.get("column " + partitionColumn)
                            .replaceFirst("^(.*?)(, default )", "$1" + (part.notNull() ? "" : " NOT NULL") + "$2"));
                }
                primaryKey = "ALTER TABLE " + twin + " ADD CONSTRAINT " + temp + " " + keyConstraint("PRIMARY KEY", i, keys);
            } else if (i.unique() && !coversKey) {
                String what = i.isConstraint() ? "unique:" + i.constraintName() : "unique:" + i.name();
                unsupported.add(new Unsupported(what, (i.isConstraint() ? "unique constraint " : "unique index ")
                        + i.name(), "PostgreSQL 15 cannot enforce uniqueness without the partition key on a "
                        + "partitioned table: it is built as a plain index (same columns, not unique)"));
                String plain = tail.replace(" NULLS NOT DISTINCT", "");
                indexes.add(new CarryPlan.IndexStep(temp, "CREATE INDEX " + temp + " ON " + twin + " " + plain));
                changed.put("index " + i.name(), Signature.indexLine(new Index(i.name(), i.printed(), i.definition(),
                        false, false, false, false, null, null, false, false, i.keys(), i.keyNames(), i.includes(),
                        i.options(), i.tablespace(), i.comment(), null), plain));
                if (i.isConstraint()) {
                    dropped.add("constraint " + i.constraintName());
                }
                if (i.replicaIdentity()) {
                    unsupported.add(new Unsupported("replica-identity", "replica identity (index " + i.name() + ")",
                            "its index is no longer unique: the new table's replica identity is the default"));
                    changed.put("table", oldLines.get("table").replace("replica identity i" + i.name(),
                            "replica identity d"));
                }
            } else if (i.isConstraint()) {
                indexes.add(new CarryPlan.IndexStep(temp, "ALTER TABLE " + twin + " ADD CONSTRAINT " + temp + " "
                        + keyConstraint(i.nullsNotDistinct() ? "UNIQUE NULLS NOT DISTINCT" : "UNIQUE", i, i.keys())));
            } else {
                indexes.add(new CarryPlan.IndexStep(temp, "CREATE " + (i.unique() ? "UNIQUE " : "") + "INDEX " + temp
                        + " ON " + twin + " " + tail));
            }
        }
        if (primaryKey == null) {
            blockers.add("the table has no primary key: the copy walks it and the change log records it");
        }

        List<CarryPlan.ForeignKeyStep> foreignKeys = new ArrayList<>();
        for (var c : old.constraints()) {
            if (c.type() == 'c' && c.noInherit()) {
                blockers.add("check constraint " + c.name() + " is NO INHERIT, which a partitioned table cannot have:"
                        + " make it inheritable or drop it first");
            } else if (c.type() == 'f' && c.selfReference()) {
                blockers.add("foreign key " + c.name() + " references the table itself, which the conversion does not "
                        + "re-point: drop it first and add it again afterwards");
            } else if (c.type() == 'f' && !c.validated()) {
                blockers.add("foreign key " + c.name() + " is NOT VALID, and PostgreSQL 15 has no NOT VALID foreign "
                        + "keys on partitioned tables: validate it first");
            } else if (c.type() == 'f') {
                foreignKeys.add(new CarryPlan.ForeignKeyStep(c.printed(), c.definition()));
            }
        }
        for (var k : old.incoming()) {
            if (!k.referencedColumns().contains(partitionColumn)) {
                blockers.add("foreign key " + k.name() + " of " + k.table() + " references (" + String.join(", ",
                        k.referencedColumns()) + "); a key into a table partitioned by " + partitionColumn
                        + " must include " + partitionColumn + " (PostgreSQL 15): add it to that key, or drop the key");
            }
        }
        for (var t : old.triggers()) {
            if (t.rowTransition()) {
                unsupported.add(new Unsupported("trigger:" + t.name(), "trigger " + t.name(), "PostgreSQL 15 has no "
                        + "ROW triggers with transition tables on partitioned tables: it is not carried"));
                dropped.add("trigger " + t.name());
            }
        }
        for (var d : old.dependents()) {
            String reason = switch (d.kind()) {
                case "view", "materialized-view" -> "it keeps reading the old table (renamed) after the swap: "
                        + "recreate it on the new one";
                case "publication" -> "the new table is not added to it: ALTER PUBLICATION ... ADD TABLE afterwards";
                case "statistics" -> "extended statistics are not recreated: CREATE STATISTICS again afterwards";
                default -> "rules are not carried";
            };
            unsupported.add(new Unsupported(d.kind() + ":" + d.name(), d.kind() + " " + d.name(), reason));
        }
        if (old.hasStorageParameters()) {
            unsupported.add(new Unsupported("storage-parameters", "storage parameters", "a partitioned table has none "
                    + "in PostgreSQL 15: they are not carried (set them on partitions if needed)"));
        }
        if (old.persistence() == 'u') {
            unsupported.add(new Unsupported("unlogged", "UNLOGGED", "a partitioned table cannot be unlogged: the new "
                    + "one is logged"));
        }
        if (old.tablespace() != null) {
            unsupported.add(new Unsupported("tablespace", "tablespace " + old.tablespace(), "the new table's "
                    + "partitions are in the default tablespace"));
        }
        List<String> statistics = old.columns().stream().filter(c -> c.statistics() >= 0).map(c -> "ALTER TABLE "
                + twin + " ALTER COLUMN " + c.printed() + " SET STATISTICS " + c.statistics()).toList();
        return new CarryPlan(blockers, unsupported, primaryKey, indexes, foreignKeys, statistics, changed, dropped);
    }

    private static void refuseWhatCannotBePartitioned(TableShape old, String partitionColumn, List<String> blockers) {
        if (old.isPartition()) {
            blockers.add("the table is a partition of another table");
        } else if (old.inherits()) {
            blockers.add("the table takes part in inheritance (INHERITS), which a partitioned table cannot");
        }
        if (old.column(partitionColumn).orElseThrow().isGenerated()) {
            blockers.add("column " + partitionColumn + " is generated, and a partition key cannot be");
        }
    }

    /** {@code PRIMARY KEY (a, b) INCLUDE (c) WITH (...) DEFERRABLE}: the key with its index's options. */
    private static String keyConstraint(String kind, Index i, List<String> keys) {
        StringBuilder sql = new StringBuilder(kind).append(" (").append(String.join(", ", keys)).append(')');
        if (!i.includes().isEmpty()) {
            sql.append(" INCLUDE (").append(String.join(", ", i.includes())).append(')');
        }
        if (i.options() != null && !i.options().isEmpty()) {
            sql.append(" WITH (").append(i.options()).append(')');
        }
        if (i.deferrable()) {
            sql.append(i.deferred() ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE");
        }
        return sql.toString();
    }

    /** {@code USING btree (id) ...} read with the partition column added to the key: how the widened key prints. */
    private static String widen(String tail, List<String> keys, String partition) {
        String list = "(" + String.join(", ", keys) + ")";
        int at = tail.indexOf(list);
        return at < 0 ? tail : tail.substring(0, at) + "(" + String.join(", ", keys) + ", " + partition + ")"
                + tail.substring(at + list.length());
    }
}
