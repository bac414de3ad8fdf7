package io.sluice.partitionmanager.db;

/** One statement a run executed (or tried): its text, how long it took in total, attempts, and its error if any. */
public record ExecutedStatement(String sql, long durationMs, int attempts, String error) {
}
