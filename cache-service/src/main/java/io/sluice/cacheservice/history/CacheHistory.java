package io.sluice.cacheservice.history;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.common.history.CounterDeltas;
import io.sluice.common.history.ServiceHistory;
import io.smallrye.mutiny.Uni;

/**
 * cache-service's chart figures over the last hour (GET /v1/history), each over the lookups or invalidations of
 * this instance between the previous point and this one: {@code hitRate} (every namespace), {@code hitRate:<ns>}
 * per namespace named in {@code stats.metric-namespaces}, and {@code invalidationLagSeconds}, the mean time from a
 * write's commit (its stream entry's or NOTIFY's stamp) to its invalidation applied. A figure with nothing to
 * measure in the step (no lookup, no invalidation) has no point.
 */
@Startup
@Singleton
public class CacheHistory extends ServiceHistory {

    private static final String OTHER = "other";

    private final CacheMetrics metrics;

    public CacheHistory(CacheServiceConfig config, CacheMetrics metrics, Clock clock) {
        super("cache-service", config.history(), clock);
        this.metrics = metrics;
    }

    @Override
    protected Uni<Map<String, Double>> figures() {
        Map<String, Double> figures = new TreeMap<>();
        double hits = 0;
        double lookups = 0;
        for (var e : metrics.lookupTotals().entrySet()) {
            double h = deltas.increase("hits:" + e.getKey(), e.getValue().hits());
            double l = deltas.increase("lookups:" + e.getKey(), e.getValue().lookups());
            hits += h;
            lookups += l;
            if (!e.getKey().equals(OTHER)) {
                figures.put("hitRate:" + e.getKey(), CounterDeltas.ratio(h, l));
            }
        }
        figures.put("hitRate", CounterDeltas.ratio(hits, lookups));
        CacheMetrics.LagTotals lag = metrics.invalidationLagTotals();
        figures.put("invalidationLagSeconds", CounterDeltas.ratio(deltas.increase("lag:seconds", lag.seconds()),
                deltas.increase("lag:count", lag.count())));
        return Uni.createFrom().item(figures);
    }
}
