package io.sluice.querymonitor.history;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.sluice.common.history.ServiceHistory;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.query.QueryStatsService;
import io.sluice.querymonitor.query.SortBy;
import io.smallrye.mutiny.Uni;

/**
 * query-monitor's chart figures over the last hour (GET /v1/history): for the fleet's
 * {@code metrics.history-fingerprints} fingerprints with most total time over the last minute (what
 * {@code GET /metrics/queries?window=1m&sort=total} lists first), {@code p50Ms|p90Ms|p95Ms|p99Ms:<fingerprint>:<database>},
 * their latency percentiles over that minute. Read from the fleet's figures in Redis, so every instance's history
 * agrees; a fingerprint known only from pg_stat_statements (no samples, no distribution) has no point.
 */
@Startup
@Singleton
public class QueryMonitorHistory extends ServiceHistory {

    private final QueryStatsService stats;
    private final int fingerprints;

    public QueryMonitorHistory(QueryMonitorConfig config, QueryStatsService stats, Clock clock) {
        super("query-monitor", config.history(), clock);
        this.stats = stats;
        this.fingerprints = config.metrics().historyFingerprints();
    }

    @Override
    protected Uni<Map<String, Double>> figures() {
        return stats.top(Window.ONE_MINUTE, Optional.empty(), SortBy.TOTAL, fingerprints).map(top -> {
            Map<String, Double> figures = new TreeMap<>();
            for (QueryStats q : top) {
                if (q.calls() > 0) {
                    String of = ":" + q.fingerprint() + ":" + q.database();
                    figures.put("p50Ms" + of, q.p50Ms());
                    figures.put("p90Ms" + of, q.p90Ms());
                    figures.put("p95Ms" + of, q.p95Ms());
                    figures.put("p99Ms" + of, q.p99Ms());
                }
            }
            return figures;
        });
    }
}
