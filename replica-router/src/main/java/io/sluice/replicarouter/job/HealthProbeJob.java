package io.sluice.replicarouter.job;

import java.time.Duration;

import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.sluice.replicarouter.config.RouterConfig;
import io.sluice.replicarouter.node.NodeHealthService;
import io.smallrye.mutiny.Uni;

/**
 * Probes every node every replica-router.health.interval; a slow round is skipped, never stacked. The first round
 * runs during start-up, so the router knows its nodes before it serves its first request.
 */
public class HealthProbeJob {

    private static final Logger LOG = Logger.getLogger(HealthProbeJob.class);

    private final NodeHealthService health;
    private final RouterConfig config;

    public HealthProbeJob(NodeHealthService health, RouterConfig config) {
        this.health = health;
        this.config = config;
    }

    /** On the main thread at start-up (not an event loop), bounded by the probe timeout. */
    void firstRound(@Observes StartupEvent start) {
        Duration limit = config.health().timeout().plusSeconds(2);
        try {
            health.probeAll().await().atMost(limit);
        } catch (RuntimeException e) {
            LOG.warnf("first probe round did not finish within %s (%s); nodes stay unknown until the next one",
                    limit, e.getMessage());
        }
    }

    @Scheduled(every = "{replica-router.health.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probe() {
        return health.probeAll();
    }
}
