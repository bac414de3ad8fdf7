package io.sluice.querymonitor.validation;

import java.time.Duration;

import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.config.WindowConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The rollout targets of the scorecard (GET /v1/validation) and how often it is evaluated. Defaults are the
 * operators' targets of issue 20.
 */
@ConfigMapping(prefix = "query-monitor.validation")
public interface ValidationConfig {

    /** Whether the scorecard is evaluated in the background (GET /v1/validation answers either way). */
    @WithDefault("true")
    boolean background();

    /** How often the scorecard is evaluated in the background (scrapes kept for windows, verdict gauges). */
    @WithDefault("15s")
    Duration interval();

    /** The window when a request names none: 1m, 5m, 1h or 24h; anything else fails start-up. */
    @WithDefault("5m")
    @WithConverter(WindowConverter.class)
    Window defaultWindow();

    /** replication-lag: every replica's lag must stay below this. */
    @WithDefault("1s")
    Duration maxReplicaLag();

    /** replica-reads: at least this share of reads served by replicas. */
    @WithDefault("0.9")
    double minReplicaReadShare();

    /** replica-reads, pool-utilization: fewer routed statements than this in the window is "no traffic yet". */
    @WithDefault("10")
    long minRoutedStatements();

    /** pool-utilization: the busiest node's mean utilisation over the window must lie in [min, max]. */
    @WithDefault("0.6")
    double minPoolUtilization();

    @WithDefault("0.8")
    double maxPoolUtilization();

    /**
     * pool-utilization: the busiest pool needs at least this many connections in use on average over the window
     * before its size is judged (below it no pool but one of a single connection could reach the minimum, so a
     * quiet suite is unknown, not "oversized").
     */
    @WithDefault("1")
    double minPoolInUse();

    /** cache-hit-rate: at least this, once the window holds {@link #cacheWarmUpLookups()} lookups. */
    @WithDefault("0.7")
    double minCacheHitRate();

    /** Lookups needed in the window before the cache targets judge (warm-up); fewer gives unknown. */
    @WithDefault("100")
    long cacheWarmUpLookups();

    /** db-query-reduction: at least this share of cacheable reads answered without a database query. */
    @WithDefault("0.3")
    double minDbQueryReduction();

    /** error-rate: reported statement errors / calls must stay below this. */
    @WithDefault("0.001")
    double maxErrorRate();

    /** error-rate, latency-p95: fewer reported calls than this in the window is "no traffic yet". */
    @WithDefault("100")
    long minCalls();

    /** latency-p95: p95 of every reported statement in the window must stay at or below this. */
    @WithDefault("200ms")
    Duration maxP95();

    /** partition-runway: a monthly set needs between min and max partitions ahead. */
    @WithDefault("24")
    int minMonthlyRunway();

    @WithDefault("26")
    int maxMonthlyRunway();
}
