package io.sluice.partitionmanager.api;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.sluice.partitionmanager.conversion.ConversionSpec;
import io.sluice.partitionmanager.policy.Interval;

/**
 * POST /v1/conversions: convert {@code table} ({@code schema.table}, names exactly as in the catalog) online into a
 * table partitioned by {@code column}. {@code accept}: ids of the items a dry run lists under {@code unsupported}
 * (what the partitioned table cannot have as it is); the conversion starts only when each is accepted.
 */
public record ConversionRequest(@NotBlank String table, @NotBlank String column, @NotNull Interval interval,
        @Min(1) @Max(100_000) Integer batchSize, @Min(0) @Max(60_000) Integer throttleMs, Boolean dryRun,
        @Size(max = 200) List<@NotBlank @Size(max = 300) String> accept) {

    public ConversionSpec toSpec() {
        return new ConversionSpec(table, column, interval, batchSize, throttleMs, Boolean.TRUE.equals(dryRun), accept);
    }
}
