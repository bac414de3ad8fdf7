package io.sluice.ratelimiter.job;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.sluice.ratelimiter.tier.CatalogueStore;
import io.sluice.ratelimiter.tier.TierCatalogue;
import io.smallrye.mutiny.Uni;

/** Adopts a tier catalogue changed through any instance (absent in Redis: the config's defaults). */
@ApplicationScoped
public class CatalogueRefreshJob {

    private static final Logger LOG = Logger.getLogger(CatalogueRefreshJob.class);

    private final CatalogueStore store;
    private final TierCatalogue catalogue;

    public CatalogueRefreshJob(CatalogueStore store, TierCatalogue catalogue) {
        this.store = store;
        this.catalogue = catalogue;
    }

    @Scheduled(every = "{rate-limiter.redis.catalogue-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return store.load().invoke(stored -> {
            var next = stored == null ? catalogue.defaults() : stored;
            if (!next.version().equals(catalogue.current().version())) {
                LOG.infof("Tier catalogue version %s adopted", next.version());
                catalogue.adopt(next);
            }
        }).onFailure().invoke(e -> LOG.debugf("Tier catalogue not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
