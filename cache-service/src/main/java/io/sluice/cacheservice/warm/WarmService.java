package io.sluice.cacheservice.warm;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.EntryReader;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.query.QueryCacheService;
import io.sluice.cacheservice.query.QuerySpec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Warming: queries (loaded under a lease unless already cached) and keys of cached query results (reloaded from
 * the query they store; value entries cannot be warmed here, the app computes them, so they are skipped). Runs
 * in batches of {@code batchSize}, one batch at a time, and reports progress.
 */
@ApplicationScoped
public class WarmService {

    private static final Logger LOG = Logger.getLogger(WarmService.class);

    /** One unit of warming work: a query to load or a key to reload. */
    private record Item(QuerySpec query, CacheKey key) {
    }

    private final QueryCacheService queries;
    private final EntryReader reader;
    private final WarmProgressStore progress;
    private final CacheMetrics metrics;
    private final Cache<String, WarmJob> jobs = Caffeine.newBuilder().maximumSize(100)
            .expireAfterWrite(WarmProgressStore.KEEP).build();

    public WarmService(QueryCacheService queries, EntryReader reader, WarmProgressStore progress,
            CacheMetrics metrics) {
        this.queries = queries;
        this.reader = reader;
        this.progress = progress;
        this.metrics = metrics;
    }

    /** The job's progress: this instance's own count when it runs the job, else what its runner wrote to Redis. */
    public Uni<WarmProgress> progress(String id) {
        WarmJob local = jobs.getIfPresent(id);
        return local != null ? Uni.createFrom().item(local.progress()) : progress.find(id);
    }

    /**
     * Starts warming in the background and returns the job once its progress is readable from every instance
     * (fails with RedisUnavailable when it cannot be: nothing is started then).
     */
    public Uni<WarmProgress> start(List<QuerySpec> specs, List<CacheKey> keys, int batchSize) {
        List<Item> items = new ArrayList<>();
        specs.forEach(s -> items.add(new Item(s, null)));
        keys.forEach(k -> items.add(new Item(null, k)));
        WarmJob job = new WarmJob(UUID.randomUUID().toString(), items.size());
        return progress.save(job.progress()).invoke(() -> {
            jobs.put(job.id(), job);
            run(job, items, batchSize);
        }).map(saved -> job.progress());
    }

    /** Fire-and-forget by design: the job runs after its 202; it ends logged, and its progress says so. */
    private void run(WarmJob job, List<Item> items, int batchSize) {
        Multi.createFrom().iterable(items).group().intoLists().of(batchSize)
                .onItem().transformToUniAndConcatenate(batch -> Multi.createFrom().iterable(batch)
                        .onItem().transformToUniAndMerge(item -> warm(job, item)).collect().asList()
                        .invoke(() -> job.batches().incrementAndGet())
                        .call(() -> publish(job)))
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf("warming job %s stopped: %s", job.id(), e.getMessage()))
                .onFailure().recoverWithNull()
                .invoke(job::finish)
                .call(() -> publish(job))
                .subscribe().with(done -> { }, e -> LOG.debugf("warming job %s: %s", job.id(), e.getMessage()));
    }

    /** Progress for the other instances; a failed write only delays what they see. */
    private Uni<Void> publish(WarmJob job) {
        return progress.save(job.progress()).onFailure().invoke(e -> LOG.debugf("warming progress of %s not "
                + "written: %s", job.id(), e.getMessage())).onFailure().recoverWithNull();
    }

    private Uni<Void> warm(WarmJob job, Item item) {
        Uni<QuerySpec> spec = item.query() != null ? Uni.createFrom().item(item.query())
                : reader.readRedis(item.key()).map(found -> found == null ? null : found.envelope().query());
        return spec.chain(s -> {
            if (s == null) {
                return count(job.skipped(), "skipped");
            }
            Supplier<Uni<Void>> load = () -> queries.refresh(s).chain(answer -> answer == null
                    ? count(job.alreadyWarm(), "already_loading") : count(job.loaded(), "loaded"));
            if (item.query() == null) {
                return load.get();
            }
            // A listed query that is already fresh is left alone.
            return reader.readRedis(QueryCacheService.keyOf(s)).chain(found ->
                    found != null && found.envelope().isFresh(System.currentTimeMillis())
                            ? count(job.alreadyWarm(), "already_warm") : load.get());
        }).onFailure().recoverWithUni(e -> {
            LOG.debugf("warming item failed: %s", e.getMessage());
            return count(job.failed(), "failed");
        });
    }

    private Uni<Void> count(java.util.concurrent.atomic.AtomicInteger counter, String outcome) {
        counter.incrementAndGet();
        metrics.recordWarmItem(outcome);
        return Uni.createFrom().voidItem();
    }
}
