package io.sluice.querymonitor.validation;

/**
 * One target on the scorecard: what it requires ({@code threshold}), what was measured ({@code value} in
 * {@code unit}, null when it could not be), where the figure comes from ({@code source}: a metric or an API), the
 * verdict with its reason, and the runbook to open when it fails.
 */
public record TargetResult(String id, String title, String threshold, Double value, String unit, String source,
        Verdict verdict, String reason, String runbook) {

    static TargetResult pass(Target t, String threshold, double value, String unit, String source, String reason) {
        return new TargetResult(t.id, t.title, threshold, round(value), unit, source, Verdict.PASS, reason, t.runbook);
    }

    static TargetResult fail(Target t, String threshold, double value, String unit, String source, String reason) {
        return new TargetResult(t.id, t.title, threshold, round(value), unit, source, Verdict.FAIL, reason, t.runbook);
    }

    static TargetResult judge(boolean ok, Target t, String threshold, double value, String unit, String source,
            String reason) {
        return ok ? pass(t, threshold, value, unit, source, reason) : fail(t, threshold, value, unit, source, reason);
    }

    static TargetResult unknown(Target t, String threshold, String source, String reason) {
        return new TargetResult(t.id, t.title, threshold, null, null, source, Verdict.UNKNOWN, reason, t.runbook);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** The targets, their titles and runbooks (docs/runbooks.md). */
    public enum Target {
        REPLICATION_LAG("replication-lag", "Replication lag", "rb-1"),
        REPLICA_READS("replica-reads", "Reads served by replicas", "rb-1"),
        POOL_UTILIZATION("pool-utilization", "Connection pool utilization", "rb-5"),
        CACHE_HIT_RATE("cache-hit-rate", "Cache hit rate after warm-up", "rb-11"),
        DB_QUERY_REDUCTION("db-query-reduction", "Database queries avoided by the cache", "rb-11"),
        ERROR_RATE("error-rate", "Statement error rate", "rb-23"),
        PARTITION_RUNWAY("partition-runway", "Partitions ahead, default partition empty", "rb-17"),
        SLOW_QUERIES("slow-queries", "Slow queries identified, advised indexes verified", "rb-10"),
        LATENCY_P95("latency-p95", "p95 latency of reported statements", "rb-8");

        public final String id;
        public final String title;
        public final String runbook;

        Target(String id, String title, String anchor) {
            this.id = id;
            this.title = title;
            this.runbook = "docs/runbooks.md#" + anchor;
        }
    }
}
