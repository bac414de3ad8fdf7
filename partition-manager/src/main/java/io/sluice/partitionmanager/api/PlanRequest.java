package io.sluice.partitionmanager.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.sluice.partitionmanager.policy.Interval;

/** A partition set to plan: which table, partitioned how, and how many partitions ahead of today. */
public record PlanRequest(
        String schema,
        @NotBlank String table,
        @NotNull Interval interval,
        @Min(0) @Max(366) Integer premake) {

    public String schemaOrPublic() {
        return schema == null ? "public" : schema;
    }

    public int premakeOrDefault() {
        return premake == null ? 4 : premake;
    }
}
