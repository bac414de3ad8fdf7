package io.sluice.partitionmanager.conversion;

import java.util.List;

import io.sluice.partitionmanager.policy.Interval;

/**
 * A conversion as asked for: {@code table} (schema.table, names exactly as in the catalog) into a table partitioned
 * by {@code column}; null batch size and throttle take the configured ones; {@code accept}: ids of the items a dry
 * run lists under {@code unsupported}.
 */
public record ConversionSpec(String table, String column, Interval interval, Integer batchSize, Integer throttleMs,
        boolean dryRun, List<String> accept) {
}
