package io.sluice.querymonitor.aggregate;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.metrics.QueryMonitorMetrics;

/**
 * The fingerprints that get their own label in the duration histogram: the top K by total time over the last hour,
 * read from the fleet's figures in Redis (samples and pg_stat_statements deltas of every instance), so every
 * instance labels the same ones and Prometheus sums them across instances. Redis unreachable: the labels stay.
 */
@ApplicationScoped
public class FleetTopK {

    private static final Logger LOG = Logger.getLogger(FleetTopK.class);

    private final AggregateStore store;
    private final QueryMonitorMetrics metrics;
    private final QueryMonitorConfig config;
    private final Clock clock;

    public FleetTopK(AggregateStore store, QueryMonitorMetrics metrics, QueryMonitorConfig config, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Set<String>> refresh() {
        return store.members(Window.ONE_HOUR, clock.instant(), config.aggregation().maxCandidates())
                .map(members -> {
                    Map<String, Double> byFingerprint = new HashMap<>();
                    members.forEach(m -> byFingerprint.merge(m.getKey().substring(0, m.getKey().indexOf('|')),
                            m.getValue(), Double::sum));
                    return byFingerprint.entrySet().stream()
                            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                            .limit(metrics.topK()).map(Map.Entry::getKey).collect(Collectors.toSet());
                })
                .invoke(metrics::updateTop)
                .onFailure().invoke(e -> LOG.debugf("top-K labels not refreshed: %s", e.getMessage()));
    }
}
