package io.sluice.partitionmanager.maintenance;

import java.time.LocalDate;

/** One thing maintenance does to a set, with the exact statement it runs (what a dry run shows). */
public record Step(Action action, String partitionSchema, String partition, LocalDate from, LocalDate to, String sql) {

    public enum Action {
        /** Complete a DETACH ... CONCURRENTLY that was interrupted. */
        FINALIZE_DETACH,
        CREATE,
        /** Export to the archive store and verify it; nothing is detached before this succeeds. */
        ARCHIVE,
        DETACH,
        DROP
    }
}
