package io.sluice.querymonitor.validation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.querymonitor.console.PrometheusText;
import io.sluice.querymonitor.console.PrometheusText.Sample;

/** The cache-service series the scorecard reads, reduced to named figures (as GET /v1/cache/stats counts them). */
final class CacheFigures {

    static final String PREFIX = "sluice_cacheservice_";
    static final String LOOKUPS = "sluice_cacheservice_lookups_total";
    static final String LOADS = "sluice_cacheservice_load_duration_seconds_count";

    static final String HITS = "hits";
    static final String ALL = "lookups";
    static final String LOAD_COUNT = "loads";

    private static final Set<String> SERVED = Set.of("hit", "stale");
    private static final Set<String> LOOKUP = Set.of("hit", "stale", "miss", "bypass");

    private CacheFigures() {
    }

    static Map<String, Double> of(List<Sample> samples) {
        Map<String, Double> f = new HashMap<>();
        f.put(HITS, PrometheusText.sum(samples, LOOKUPS, l -> SERVED.contains(l.get("outcome"))));
        f.put(ALL, PrometheusText.sum(samples, LOOKUPS, l -> LOOKUP.contains(l.get("outcome"))));
        f.put(LOAD_COUNT, PrometheusText.sum(samples, LOADS, l -> true));
        return f;
    }
}
