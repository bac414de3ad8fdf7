package io.sluice.partitionmanager.policy;

import java.time.ZoneId;
import java.util.Optional;

/** A declared partition set: which parent, on which column, how partitions are cut, made ahead and retired. */
public record PartitionSet(SqlIdentifier schema, SqlIdentifier table, SqlIdentifier column, Interval interval,
        int premake, Optional<Retention> retention, Optional<ArchiveTarget> archive, ZoneId zone) {

    public String qualifiedName() {
        return schema.name() + "." + table.name();
    }

    public String quotedParent() {
        return schema.quoted() + "." + table.quoted();
    }
}
