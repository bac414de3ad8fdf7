package io.sluice.replicarouter.report;

/**
 * One executed statement as query-monitor's POST /queries/samples takes it. {@code sql} is the normalized text:
 * literals are already replaced, and parameter values are never part of a sample.
 */
public record StatementSample(String sql, String fingerprint, String database, String node, double durationMs,
        Long rows, String error, String requestId) {
}
