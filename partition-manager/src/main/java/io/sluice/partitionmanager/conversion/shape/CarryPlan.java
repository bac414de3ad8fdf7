package io.sluice.partitionmanager.conversion.shape;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How one table's shape is carried to its partitioned twin: what blocks the conversion, what needs the caller's
 * acceptance, the primary key made with the twin, what is built after the copy (each step idempotent, so a resumed
 * conversion repeats none), and how the new table's signature may differ from the old one's (the accepted changes).
 */
public record CarryPlan(List<String> blockers, List<Unsupported> unsupported, String primaryKey,
        List<IndexStep> indexes, List<ForeignKeyStep> foreignKeys, List<String> statistics,
        Map<String, String> changedLines, List<String> droppedLines) {

    /** An index (or unique constraint) built on the twin under {@code tempName}, renamed at the swap. */
    public record IndexStep(String tempName, String statement) {
    }

    /** An outgoing foreign key: {@code definition} as pg_get_constraintdef prints it, added under its own name. */
    public record ForeignKeyStep(String printedName, String definition) {
    }

    /** The old table's signature with the accepted changes applied: what the new one must match. */
    public SortedMap<String, String> expected(SortedMap<String, String> old) {
        SortedMap<String, String> expected = new TreeMap<>(old);
        droppedLines.forEach(expected::remove);
        changedLines.forEach((k, v) -> {
            if (expected.containsKey(k)) {
                expected.put(k, v);
            }
        });
        return expected;
    }
}
