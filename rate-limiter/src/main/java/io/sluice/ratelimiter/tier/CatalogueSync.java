package io.sluice.ratelimiter.tier;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Keeps this instance on the catalogue operators saved through any instance: at once when a save is announced on
 * the pub/sub channel, and on every scheduled re-read (which also covers announcements missed while the
 * subscription was down). Absent in Redis means the config's defaults.
 */
@ApplicationScoped
public class CatalogueSync {

    private static final Logger LOG = Logger.getLogger(CatalogueSync.class);

    private final CatalogueStore store;
    private final TierCatalogue catalogue;
    private Cancellable subscription;

    public CatalogueSync(CatalogueStore store, TierCatalogue catalogue) {
        this.store = store;
        this.catalogue = catalogue;
    }

    /** Reads the stored catalogue and adopts it when its version differs; Redis errors are logged, not thrown. */
    public Uni<Void> sync() {
        return store.load().invoke(stored -> {
            var next = stored == null ? catalogue.defaults() : stored;
            if (!next.version().equals(catalogue.current().version())) {
                LOG.infof("Tier catalogue version %s adopted", next.version());
                catalogue.adopt(next);
            }
        }).onFailure().invoke(e -> LOG.debugf("Tier catalogue not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    void listen(@Observes StartupEvent start) {
        // Deferred: each retry subscribes afresh (a new connection), not to the failed stream again.
        subscription = Multi.createFrom().deferred(store::announcements)
                .onFailure().invoke(e -> LOG.debugf("catalogue announcements lost (%s); resubscribing", e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).indefinitely()
                .onItem().transformToUniAndConcatenate(version -> version.equals(catalogue.current().version())
                        ? Uni.createFrom().voidItem() : sync())
                .subscribe().with(v -> { }, e -> LOG.warnf("catalogue announcements stopped: %s", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (subscription != null) {
            subscription.cancel();
        }
    }
}
