package io.sluice.replicarouter.pool;

import java.util.List;

/** One node's pool as the reporter sees it (GET /v1/pools answers a list of these). Times in milliseconds. */
public record PoolReport(String node, String role, int maxSize, int inUse, int idle, int waiting,
        double utilisation, Percentiles acquireMs, Percentiles holdMs, Double connectMs, double statementsPerSecond,
        Integer serverConnectionLimit, PoolSizer.Recommendation recommendation, List<SuspectedLeak> suspectedLeaks) {

    public record Percentiles(double p50, double p95, double p99) {
    }

    /** A connection held longer than replica-router.pool.leak-threshold, and the request that holds it. */
    public record SuspectedLeak(String requestId, double heldSeconds, String since) {
    }
}
