package io.sluice.cacheservice.invalidation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.entry.CacheKey;
import io.sluice.cacheservice.entry.EntryStore;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.cacheservice.metrics.CacheMetrics.Event;
import io.sluice.cacheservice.nearcache.NearCache;
import io.sluice.cacheservice.stats.NamespaceStats;
import io.sluice.cacheservice.tag.TagImplications;
import io.sluice.cacheservice.tag.TagStore;
import io.sluice.cacheservice.tag.Tags;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Applies invalidations from every source (API, write stream, NOTIFY, gaps): each tag and every tag it implies
 * gets a new version (O(1) each), each key is deleted with its lease revoked; then this instance's near cache is
 * cleared at once and the others are told.
 */
@ApplicationScoped
public class InvalidationService {

    private static final Logger LOG = Logger.getLogger(InvalidationService.class);

    private final TagStore tags;
    private final EntryStore entries;
    private final NearCache near;
    private final NearFanout fanout;
    private final CacheMetrics metrics;
    private final NamespaceStats stats;
    private final TagImplications implications;

    public InvalidationService(TagStore tags, EntryStore entries, NearCache near, NearFanout fanout,
            CacheMetrics metrics, NamespaceStats stats, CacheServiceConfig config) {
        this.tags = tags;
        this.entries = entries;
        this.near = near;
        this.fanout = fanout;
        this.metrics = metrics;
        this.stats = stats;
        this.implications = new TagImplications(config.tagRules().orElse(List.of()).stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.tag(), r -> r.implies(), (a, b) -> {
                    var both = new ArrayList<>(a);
                    both.addAll(b);
                    return both;
                })));
    }

    /** @return every tag invalidated (the given ones and those they imply) */
    public Uni<Set<String>> invalidateTags(Collection<String> given, String source) {
        Set<String> all = implications.expand(given);
        if (all.isEmpty()) {
            return Uni.createFrom().item(all);
        }
        return Multi.createFrom().iterable(all).onItem().transformToUniAndMerge(tags::bump).collect().asList()
                .invoke(versions -> {
                    near.removeTagged(all);
                    metrics.recordInvalidation(source);
                    all.stream().filter(t -> t.startsWith("ns:"))
                            .forEach(t -> stats.record(Event.INVALIDATED, t.substring(3)));
                    LOG.debugf("invalidated %d tag(s) from %s", all.size(), source);
                })
                .call(() -> fanout.publishTags(new ArrayList<>(all)))
                .replaceWith(all);
    }

    /** @return how many entries existed */
    public Uni<Integer> invalidateKeys(List<CacheKey> keys, String source) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(keys)
                .onItem().transformToUniAndMerge(k -> entries.delete(k).invoke(existed -> {
                    near.remove(k.id());
                    if (existed) {
                        stats.record(Event.INVALIDATED, k.namespace());
                    }
                }))
                .collect().asList()
                .invoke(() -> metrics.recordInvalidation(source))
                .call(() -> fanout.publishKeys(keys.stream().map(CacheKey::id).toList()))
                .map(existed -> (int) existed.stream().filter(b -> b).count());
    }

    /** Fail safe after a gap in a write channel: every query result depends on the database tag. */
    public Uni<Set<String>> invalidateDatabase(String why) {
        LOG.warnf("invalidating every query result (%s)", why);
        return invalidateTags(List.of(Tags.DATABASE), "gap");
    }
}
