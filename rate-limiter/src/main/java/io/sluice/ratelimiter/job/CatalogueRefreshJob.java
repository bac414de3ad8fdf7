package io.sluice.ratelimiter.job;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.sluice.ratelimiter.tier.CatalogueSync;
import io.smallrye.mutiny.Uni;

/** Re-reads the tier catalogue on a schedule, in case this instance missed a pub/sub announcement. */
@ApplicationScoped
public class CatalogueRefreshJob {

    private final CatalogueSync sync;

    public CatalogueRefreshJob(CatalogueSync sync) {
        this.sync = sync;
    }

    @Scheduled(every = "{rate-limiter.redis.catalogue-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return sync.sync();
    }
}
