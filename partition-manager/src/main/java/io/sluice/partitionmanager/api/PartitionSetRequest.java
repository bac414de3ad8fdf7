package io.sluice.partitionmanager.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.RetentionMode;
import io.sluice.partitionmanager.sets.PartitionSetSpec;

/**
 * PUT /v1/partition-sets/{schema.table}. {@code columns} (and {@code primaryKey}) create the partitioned parent when
 * the table does not exist yet; without them the table must already be partitioned by range on {@code column}.
 */
public record PartitionSetRequest(
        @NotBlank String column,
        @NotNull Interval interval,
        @Min(1) @Max(366) Integer premake,
        @Valid RetentionRequest retention,
        @Valid ArchiveRequest archive,
        String timezone,
        List<@Valid @NotNull ColumnRequest> columns,
        List<@NotBlank String> primaryKey) {

    public int premakeOrDefault() {
        return premake == null ? 4 : premake;
    }

    public String timezoneOrUtc() {
        return timezone == null ? "UTC" : timezone;
    }

    /** The declaration as the core takes it. */
    public PartitionSetSpec toSpec() {
        return new PartitionSetSpec(column, interval, premake,
                retention == null ? null : new PartitionSetSpec.RetentionSpec(retention.keep(), retention.mode()),
                archive == null ? null : new PartitionSetSpec.ArchiveSpec(archive.store(), archive.path()), timezone,
                columns == null ? null : columns.stream()
                        .map(c -> new PartitionSetSpec.ColumnSpec(c.name(), c.type(), c.nullable())).toList(),
                primaryKey);
    }

    /** {@code keep} is an ISO-8601 period such as P24M or P90D. */
    public record RetentionRequest(@NotBlank String keep, @NotNull RetentionMode mode) {
    }

    /** {@code store}: "file" (the default); {@code path}: an absolute directory. */
    public record ArchiveRequest(String store, String path) {
    }

    public record ColumnRequest(@NotBlank String name, @NotBlank String type, Boolean nullable) {
    }
}
