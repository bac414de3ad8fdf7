package io.sluice.partitionmanager.conversion;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sluice.partitionmanager.policy.Interval;

/**
 * A conversion's durable state: where the copy stands (the last key copied), what the caller accepted, and once
 * swapped the schema-equivalence result and the swap's figures. A restart resumes from here.
 *
 * @param keyColumns the primary key's columns; empty for a conversion started by an earlier version (not resumable)
 * @param accepted ids of the unsupported items the caller accepted
 */
public record Conversion(UUID id, String schema, String table, String column, Interval interval,
        List<String> keyColumns, int batchSize, int throttleMs, Phase phase, List<String> lastKey, long copiedRows,
        long totalRows, long replayedChanges, List<String> accepted, Equivalence equivalence, SwapFigures swap,
        Instant startedAt, Instant updatedAt, Instant finishedAt, String error) {

    public enum Phase {
        COPYING, REPLAYING, SWAPPING, DONE, FAILED
    }

    /** The catalogs of old and new compared after the swap: {@code compared} objects, the differences found. */
    public record Equivalence(boolean passed, int compared, List<String> differences) {
    }

    /**
     * lockMs: how long the swap held the table's lock (reads and writes waited), lockWaitMs: how long its lock
     * request waited for transactions already on the table (new ones queued behind it meanwhile), attempts: swap
     * transactions tried, tailChanges: change-log entries replayed under the lock, recheckedKeys: keys compared under
     * the lock.
     */
    public record SwapFigures(long lockMs, long lockWaitMs, int attempts, long tailChanges, long recheckedKeys) {
    }

    /** Short, unique suffix for the change log, trigger and function of this conversion. */
    public String tag() {
        return id.toString().replace("-", "").substring(0, 16);
    }

    public String qualifiedName() {
        return schema + "." + table;
    }
}
