package io.sluice.partitionmanager.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.sluice.partitionmanager.policy.Interval;

/** POST /v1/conversions: convert {@code table} (schema.table) online into a table partitioned by {@code column}. */
public record ConversionRequest(@NotBlank String table, @NotBlank String column, @NotNull Interval interval,
        @Min(1) @Max(100_000) Integer batchSize, @Min(0) @Max(60_000) Integer throttleMs, Boolean dryRun) {
}
