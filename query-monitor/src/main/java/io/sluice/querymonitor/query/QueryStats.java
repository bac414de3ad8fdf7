package io.sluice.querymonitor.query;

import java.time.Instant;
import java.util.Map;

import io.sluice.querymonitor.aggregate.Aggregate;

/**
 * One fingerprint on one database over a window. Latency figures come from reported samples; {@code statements}
 * holds what pg_stat_statements counted for the same fingerprint (no distribution there). {@code sql} is masked:
 * no literal value is ever part of it.
 */
public record QueryStats(String fingerprint, String database, String sql, long calls, long errors, long rows,
        long slowCalls, double totalMs, double meanMs, double maxMs, double p50Ms, double p90Ms, double p95Ms,
        double p99Ms, Statements statements, Instant firstSeen, Instant lastSeen) {

    /** pg_stat_statements deltas merged in by fingerprint. */
    public record Statements(long calls, double totalMs, long rows) {
    }

    static QueryStats of(String member, Aggregate a, Map<String, String> meta) {
        int bar = member.indexOf('|');
        return new QueryStats(member.substring(0, bar), member.substring(bar + 1), meta.get("sql"), a.calls(),
                a.errors(), a.rows(), a.slow(), round(a.totalMs()), round(a.meanMs()), round(a.maxMs()),
                round(a.quantileMs(0.50)), round(a.quantileMs(0.90)), round(a.quantileMs(0.95)),
                round(a.quantileMs(0.99)),
                new Statements(a.statementCalls(), round(a.statementTotalMs()), a.statementRows()),
                instant(meta.get("first")), instant(meta.get("last")));
    }

    /** Sample time, or pg_stat_statements time for a fingerprint no one reported samples of. */
    public double rankingTotalMs() {
        return calls > 0 ? totalMs : statements.totalMs();
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    private static Instant instant(String epochMs) {
        return epochMs == null ? null : Instant.ofEpochMilli(Long.parseLong(epochMs));
    }
}
