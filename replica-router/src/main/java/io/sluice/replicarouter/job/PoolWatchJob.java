package io.sluice.replicarouter.job;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.metrics.RouterMetrics;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRegistry;
import io.sluice.replicarouter.pool.Lease;

/**
 * Every 5 s: remembers each pool's totals (for the recent throughput the sizing advice uses) and reports, once
 * per lease, connections held longer than the leak threshold, with the request id that took them.
 */
public class PoolWatchJob {

    private static final Logger LOG = Logger.getLogger(PoolWatchJob.class);
    /** 12 snapshots 5 s apart: about a minute of load. */
    private static final int SNAPSHOTS = 13;

    private final NodeRegistry nodes;
    private final RouterConfig config;
    private final RouterMetrics metrics;
    private final Map<String, Set<Long>> reported = new ConcurrentHashMap<>();

    public PoolWatchJob(NodeRegistry nodes, RouterConfig config, RouterMetrics metrics) {
        this.nodes = nodes;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        for (Node node : nodes.all()) {
            node.stats().snapshot(SNAPSHOTS);
            Set<Long> seen = reported.computeIfAbsent(node.name(), n -> ConcurrentHashMap.newKeySet());
            Set<Long> current = new HashSet<>();
            for (Lease lease : node.stats().heldLongerThan(config.pool().leakThreshold())) {
                current.add(lease.id());
                if (seen.add(lease.id())) {
                    metrics.recordSuspectedLeak();
                    LOG.warnf("connection to %s held since %s by request %s: a transaction left open or a stuck "
                            + "statement", node.name(), lease.since(), lease.requestId());
                }
            }
            seen.retainAll(current);
        }
    }
}
