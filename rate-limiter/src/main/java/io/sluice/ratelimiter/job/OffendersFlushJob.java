package io.sluice.ratelimiter.job;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.sluice.ratelimiter.offenders.OffenderTracker;
import io.sluice.ratelimiter.offenders.OffendersStore;
import io.smallrye.mutiny.Uni;

/** Moves this instance's rejection counts to Redis, where every instance's counts add up. */
@ApplicationScoped
public class OffendersFlushJob {

    private static final Logger LOG = Logger.getLogger(OffendersFlushJob.class);

    private final OffenderTracker tracker;
    private final OffendersStore store;

    public OffendersFlushJob(OffenderTracker tracker, OffendersStore store) {
        this.tracker = tracker;
        this.store = store;
    }

    @Scheduled(every = "{rate-limiter.offenders.flush-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        var counts = tracker.drain();
        return store.add(counts).onFailure().invoke(e -> LOG.warnf(
                "Could not store rejection counts of %d keys (%s); they are lost for the offenders list",
                counts.size(), e.getMessage())).onFailure().recoverWithNull().replaceWithVoid();
    }
}
