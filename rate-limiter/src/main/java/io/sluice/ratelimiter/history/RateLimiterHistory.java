package io.sluice.ratelimiter.history;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.sluice.common.history.ServiceHistory;
import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.metrics.RateLimiterMetrics;
import io.smallrye.mutiny.Uni;

/**
 * The rate limiter's chart figures over the last hour (GET /v1/history): {@code decisions:<tier>:<result>}, the
 * decisions this instance made between the previous point and this one (result allowed, limited or
 * shadow-limited), from the decision counters.
 */
@Startup
@Singleton
public class RateLimiterHistory extends ServiceHistory {

    private final RateLimiterMetrics metrics;

    public RateLimiterHistory(RateLimiterConfig config, RateLimiterMetrics metrics, Clock clock) {
        super("rate-limiter", config.history(), clock);
        this.metrics = metrics;
    }

    @Override
    protected Uni<Map<String, Double>> figures() {
        Map<String, Double> figures = new TreeMap<>();
        metrics.decisionTotals().forEach((tierResult, total) -> figures.put("decisions:" + tierResult,
                deltas.increase(tierResult, total)));
        return Uni.createFrom().item(figures);
    }
}
