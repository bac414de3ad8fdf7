package io.sluice.partitionmanager.sets;

import java.util.List;

import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.RetentionMode;

/**
 * A set as declared, before it is checked against the catalog. {@code columns} (and {@code primaryKey}) create the
 * partitioned parent when the table does not exist yet; null where the declaration leaves a default.
 */
public record PartitionSetSpec(String column, Interval interval, Integer premake, RetentionSpec retention,
        ArchiveSpec archive, String timezone, List<ColumnSpec> columns, List<String> primaryKey) {

    public int premakeOrDefault() {
        return premake == null ? 4 : premake;
    }

    public String timezoneOrUtc() {
        return timezone == null ? "UTC" : timezone;
    }

    /** {@code keep} is an ISO-8601 period such as P24M or P90D. */
    public record RetentionSpec(String keep, RetentionMode mode) {
    }

    /** {@code store}: "file" when null; {@code path}: an absolute directory, the configured one when null. */
    public record ArchiveSpec(String store, String path) {
    }

    public record ColumnSpec(String name, String type, Boolean nullable) {
    }
}
