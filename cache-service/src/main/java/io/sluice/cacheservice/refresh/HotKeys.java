package io.sluice.cacheservice.refresh;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.EntryStore;
import io.sluice.cacheservice.query.QuerySpec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The queries this instance read often in the last period (bounded), and the scheduled refresh of those about to
 * expire: a hot key is reloaded under a lease before it expires, so its readers never see the miss. A key not
 * read in a period is forgotten, so nothing nobody reads is refreshed.
 */
@ApplicationScoped
public class HotKeys {

    private static final Logger LOG = Logger.getLogger(HotKeys.class);

    /** A query and its reads in the current period. */
    private record Hot(CacheKey key, QuerySpec spec, AtomicInteger reads) {
    }

    private final Cache<String, Hot> hot;
    private final CacheServiceConfig config;
    private final EntryStore store;
    private final Clock clock;

    public HotKeys(CacheServiceConfig config, EntryStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.hot = Caffeine.newBuilder().maximumSize(config.refresh().hotMaxKeys())
                .expireAfterAccess(config.refresh().hotInterval().toMillis() * 2, TimeUnit.MILLISECONDS).build();
    }

    public void touch(CacheKey key, QuerySpec spec) {
        hot.get(key.id(), id -> new Hot(key, spec, new AtomicInteger())).reads().incrementAndGet();
    }

    /**
     * Refreshes the hot queries that expire before the next run (plus half a period), then starts a new period.
     * @param refresher loads and stores one query under a lease (null item when another loader holds it)
     * @return how many were refreshed
     */
    public Uni<Integer> refreshDue(java.util.function.Function<QuerySpec, Uni<?>> refresher) {
        long horizon = clock.millis() + config.refresh().hotInterval().toMillis() * 3 / 2;
        List<Hot> due = hot.asMap().values().stream()
                .filter(h -> h.reads().getAndSet(0) >= config.refresh().hotMinReads()).toList();
        AtomicInteger refreshed = new AtomicInteger();
        return Multi.createFrom().iterable(due)
                .onItem().transformToUni(h -> store.get(h.key())
                        .chain(e -> e != null && e.isFresh(clock.millis()) && e.freshUntil() <= horizon
                                ? refresher.apply(h.spec()).invoke(r -> {
                                    if (r != null) {
                                        refreshed.incrementAndGet();
                                    }
                                })
                                : Uni.createFrom().nullItem())
                        .onFailure().recoverWithItem(e -> {
                            LOG.debugf("hot refresh skipped: %s", e.getMessage());
                            return null;
                        }))
                .merge(4).collect().last().map(x -> refreshed.get());
    }
}
