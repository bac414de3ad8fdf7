package io.sluice.partitionmanager.sets;

import io.sluice.partitionmanager.policy.PartitionSet;

/** A stored set as the API shows it (GET /v1/partition-sets, and inside a set's health). */
public record PartitionSetView(String name, String column, String interval, int premake, Retention retention,
        Archive archive, String timezone) {

    public record Retention(String keep, String mode) {
    }

    public record Archive(String store, String path) {
    }

    public static PartitionSetView of(PartitionSet set) {
        return new PartitionSetView(set.qualifiedName(), set.column().name(), set.interval().name().toLowerCase(),
                set.premake(),
                set.retention().map(r -> new Retention(r.keep().toString(), r.mode().name().toLowerCase())).orElse(null),
                set.archive().map(a -> new Archive(a.store(), a.path())).orElse(null), set.zone().getId());
    }
}
