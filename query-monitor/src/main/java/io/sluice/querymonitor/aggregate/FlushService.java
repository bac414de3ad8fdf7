package io.sluice.querymonitor.aggregate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.metrics.QueryMonitorMetrics;
import io.sluice.querymonitor.verification.VerificationStore;

/**
 * One flush: drain memory, add it to Redis (on failure put it back for the next try, counted and logged), and pick
 * up verifications started anywhere in the fleet.
 */
@ApplicationScoped
public class FlushService {

    private static final Logger LOG = Logger.getLogger(FlushService.class);

    private final Aggregator aggregator;
    private final AggregateStore store;
    private final VerificationStore verifications;
    private final QueryMonitorMetrics metrics;

    public FlushService(Aggregator aggregator, AggregateStore store, VerificationStore verifications,
            QueryMonitorMetrics metrics) {
        this.aggregator = aggregator;
        this.store = store;
        this.verifications = verifications;
        this.metrics = metrics;
    }

    public Uni<Void> flush() {
        long started = System.nanoTime();
        Aggregator.Drained drained = aggregator.drain();
        return store.write(drained)
                .invoke(() -> metrics.recordFlush(System.nanoTime() - started, true))
                .onFailure().invoke(e -> {
                    aggregator.restore(drained.aggregates());
                    metrics.recordFlush(System.nanoTime() - started, false);
                    LOG.warnf("flush of %d aggregates to Redis failed, kept for the next one: %s",
                            drained.aggregates().size(), e.getMessage());
                })
                .onFailure().recoverWithNull()
                .chain(verifications::refreshActive);
    }
}
