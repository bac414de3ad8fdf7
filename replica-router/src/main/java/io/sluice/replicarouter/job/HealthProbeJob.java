package io.sluice.replicarouter.job;

import io.quarkus.scheduler.Scheduled;
import io.sluice.replicarouter.node.NodeHealthService;
import io.smallrye.mutiny.Uni;

/** Probes every node every replica-router.health.interval; a slow round is skipped, never stacked. */
public class HealthProbeJob {

    private final NodeHealthService health;

    public HealthProbeJob(NodeHealthService health) {
        this.health = health;
    }

    @Scheduled(every = "{replica-router.health.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probe() {
        return health.probeAll();
    }
}
