package io.sluice.partitionmanager.doctor;

import java.time.ZoneId;

import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * A partitioned table whose default partition the doctor empties: a declared set, or a conversion's twin (whose
 * partitions are named after the table it will replace, {@code nameBase}). Names exactly as the catalog has them.
 */
public record DrainTarget(String schema, String parent, String nameBase, String column, ColumnType type,
        Interval interval, ZoneId zone) {

    public static DrainTarget of(PartitionSet set, ColumnType type) {
        return new DrainTarget(set.schema().name(), set.table().name(), set.table().name(), set.column().name(), type,
                set.interval(), set.zone());
    }

    public String quotedParent() {
        return SqlIdentifier.quote(schema) + "." + SqlIdentifier.quote(parent);
    }

    public String quotedColumn() {
        return SqlIdentifier.quote(column);
    }

    public String qualifiedName() {
        return schema + "." + parent;
    }
}
