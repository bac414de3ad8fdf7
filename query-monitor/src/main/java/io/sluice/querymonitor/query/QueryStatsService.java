package io.sluice.querymonitor.query;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.aggregate.Aggregate;
import io.sluice.querymonitor.aggregate.AggregateStore;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.config.QueryMonitorConfig;

/** Answers for the whole fleet from Redis: per-fingerprint figures over a window, ranked. */
@ApplicationScoped
public class QueryStatsService {

    private final AggregateStore store;
    private final QueryMonitorConfig config;
    private final Clock clock;

    public QueryStatsService(AggregateStore store, QueryMonitorConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Every fingerprint (and database) seen in the window, among the {@code max-candidates} with most total time,
     * optionally only those of one database or one fingerprint.
     */
    public Uni<List<QueryStats>> all(Window window, Optional<String> database, Optional<String> fingerprint) {
        var now = clock.instant();
        return store.members(window, now, config.aggregation().maxCandidates()).chain(ranked -> {
            List<String> members = ranked.stream().map(Map.Entry::getKey)
                    .filter(m -> database.map(db -> m.endsWith("|" + db)).orElse(true))
                    .filter(m -> fingerprint.map(fp -> m.startsWith(fp + "|")).orElse(true))
                    .toList();
            List<String> fingerprints = members.stream().map(m -> m.substring(0, m.indexOf('|'))).distinct()
                    .toList();
            return Uni.combine().all().unis(
                    store.read(window.resolution(), window.buckets(now), members), store.metas(fingerprints))
                    .with((aggregates, metas) -> aggregates.entrySet().stream()
                            .map(e -> QueryStats.of(e.getKey(), e.getValue(),
                                    metas.getOrDefault(e.getKey().substring(0, e.getKey().indexOf('|')),
                                            Map.of())))
                            .toList());
        });
    }

    /** Member ("fingerprint|database") to its raw aggregate over the window, among the candidates. */
    public Uni<Map<String, Aggregate>> aggregates(Window window, Optional<String> database) {
        var now = clock.instant();
        return store.members(window, now, config.aggregation().maxCandidates()).chain(ranked -> store.read(
                window.resolution(), window.buckets(now), ranked.stream().map(Map.Entry::getKey)
                        .filter(m -> database.map(db -> m.endsWith("|" + db)).orElse(true)).toList()));
    }

    public Uni<List<QueryStats>> top(Window window, Optional<String> database, SortBy sortBy, int limit) {
        return all(window, database, Optional.empty())
                .map(list -> list.stream().sorted(sortBy.order()).limit(limit).toList());
    }

    /** Fingerprints with slow samples in the window, most slow calls first. */
    public Uni<List<QueryStats>> slow(Window window, Optional<String> database, int limit) {
        return all(window, database, Optional.empty()).map(list -> list.stream().filter(s -> s.slowCalls() > 0)
                .sorted(java.util.Comparator.comparingLong(QueryStats::slowCalls).reversed()
                        .thenComparing(QueryStats::fingerprint))
                .limit(limit).toList());
    }
}
