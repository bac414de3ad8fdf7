package io.sluice.partitionmanager.api;

import jakarta.validation.constraints.NotNull;

import io.sluice.partitionmanager.archive.RestoreTarget;

/** {@code into}: "original" (recreate and attach the partition) or "table" (a new table named {@code table}). */
public record RestoreRequest(@NotNull Into into, String table) {

    public enum Into {
        @com.fasterxml.jackson.annotation.JsonAlias("original")
        ORIGINAL,
        @com.fasterxml.jackson.annotation.JsonAlias("table")
        TABLE
    }

    public boolean intoOriginal() {
        if (into == Into.TABLE && (table == null || table.isBlank())) {
            throw new io.sluice.common.problem.ProblemException(io.sluice.common.problem.CommonProblem.VALIDATION_FAILED,
                    "restoring into a table needs 'table' (schema.table)");
        }
        return into == Into.ORIGINAL;
    }

    /** The target as the core takes it; 400 validation-failed for {@code into: table} without a table. */
    public RestoreTarget toTarget() {
        return intoOriginal() ? RestoreTarget.originalPartition() : RestoreTarget.newTable(table);
    }
}
