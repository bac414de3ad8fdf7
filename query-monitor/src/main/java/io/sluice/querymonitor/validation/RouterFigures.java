package io.sluice.querymonitor.validation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.querymonitor.console.PrometheusText;
import io.sluice.querymonitor.console.PrometheusText.Sample;

/** The replica-router series the scorecard reads, reduced to named figures. */
final class RouterFigures {

    static final String PREFIX = "sluice_replicarouter_";
    static final String ROUTED = "sluice_replicarouter_routed_total";
    static final String STATEMENTS = "sluice_replicarouter_statement_duration_seconds_count";
    static final String LAG = "sluice_replicarouter_replica_lag_seconds";
    static final String UTILISATION = "sluice_replicarouter_pool_utilisation_ratio";
    static final String IN_USE = "sluice_replicarouter_pool_in_use";
    static final String NODE_UP = "sluice_replicarouter_node_up";
    static final String NODE_PRIMARY = "sluice_replicarouter_node_primary";

    /** Reads the primary served although they could have gone to a replica (not "lsn": read-your-writes). */
    private static final Set<String> READS_ON_PRIMARY = Set.of("lag", "fallback", "no-replica");

    static final String REPLICA_READS = "reads.replica";
    static final String PRIMARY_READS = "reads.primary";
    static final String STATEMENT_COUNT = "statements";

    private RouterFigures() {
    }

    static Map<String, Double> of(List<Sample> samples) {
        Map<String, Double> f = new HashMap<>();
        f.put(REPLICA_READS, PrometheusText.sum(samples, ROUTED, l -> "replica".equals(l.get("target"))));
        f.put(PRIMARY_READS, PrometheusText.sum(samples, ROUTED,
                l -> "primary".equals(l.get("target")) && READS_ON_PRIMARY.contains(l.get("reason"))));
        f.put(STATEMENT_COUNT, PrometheusText.sum(samples, STATEMENTS, l -> true));
        Map<String, Boolean> primary = new HashMap<>();
        for (Sample s : samples) {
            if (s.name().equals(NODE_PRIMARY)) {
                primary.put(s.labels().get("node"), s.value() == 1.0);
            }
        }
        for (Sample s : samples) {
            String node = s.labels().get("node");
            if (node == null) {
                continue;
            }
            if (s.name().equals(UTILISATION)) {
                f.put("pool." + node, s.value());
            } else if (s.name().equals(IN_USE)) {
                f.put("inuse." + node, s.value());
            } else if (s.name().equals(LAG) && !primary.getOrDefault(node, false)) {
                f.put("lag." + node, s.value());
            } else if (s.name().equals(NODE_UP) && !primary.getOrDefault(node, false)) {
                f.put("up." + node, s.value());
            }
        }
        return f;
    }
}
