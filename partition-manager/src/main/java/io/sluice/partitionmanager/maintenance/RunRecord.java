package io.sluice.partitionmanager.maintenance;

import java.time.Instant;
import java.util.List;

import io.sluice.partitionmanager.db.ExecutedStatement;

/** One maintenance run of one set (or of none, when skipped), as GET /v1/runs shows it. */
public record RunRecord(Long id, String set, String trigger, Instant startedAt, long durationMs, Outcome outcome,
        String lockMode, Long fencingToken, List<ExecutedStatement> statements, String error) {

    public enum Outcome {
        OK, ERROR, REFUSED, SKIPPED;

        public String tag() {
            return name().toLowerCase();
        }
    }
}
