package io.sluice.partitionmanager.conversion;

import java.time.Instant;
import java.util.UUID;

import io.sluice.partitionmanager.policy.Interval;

/** A conversion's durable state: where the copy stands (last key), so a restart resumes there. */
public record Conversion(UUID id, String schema, String table, String column, Interval interval, String keyColumn,
        int batchSize, Phase phase, String lastKey, long copiedRows, long totalRows, long replayedChanges,
        Instant startedAt, Instant updatedAt, Instant finishedAt, String error) {

    public enum Phase {
        COPYING, REPLAYING, SWAPPING, DONE, FAILED
    }

    /** Short, unique suffix for the change log, trigger and function of this conversion. */
    public String tag() {
        return id.toString().replace("-", "").substring(0, 16);
    }
}
