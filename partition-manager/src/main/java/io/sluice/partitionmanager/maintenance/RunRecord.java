package io.sluice.partitionmanager.maintenance;

import java.time.Instant;
import java.util.List;

import io.sluice.partitionmanager.db.ExecutedStatement;

/**
 * One maintenance run of one set (or of none, when skipped), as GET /v1/runs shows it; {@code instance} is the
 * instance that ran it (host/pid, {@code io.sluice.common.fleet.InstanceName}), filled in when the run is saved.
 */
public record RunRecord(Long id, String set, String trigger, Instant startedAt, long durationMs, Outcome outcome,
        String lockMode, Long fencingToken, List<ExecutedStatement> statements, String error, String instance) {

    /** A run not saved yet: the repository records which instance ran it. */
    public RunRecord(Long id, String set, String trigger, Instant startedAt, long durationMs, Outcome outcome,
            String lockMode, Long fencingToken, List<ExecutedStatement> statements, String error) {
        this(id, set, trigger, startedAt, durationMs, outcome, lockMode, fencingToken, statements, error, null);
    }

    public enum Outcome {
        OK, ERROR, REFUSED, SKIPPED;

        public String tag() {
            return name().toLowerCase();
        }
    }
}
