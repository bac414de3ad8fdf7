package io.sluice.querymonitor.validation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.common.auth.AdminToken;
import io.sluice.querymonitor.aggregate.Aggregate;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.console.ConsoleService;
import io.sluice.querymonitor.console.PrometheusText;
import io.sluice.querymonitor.console.Upstream;
import io.sluice.querymonitor.console.UpstreamClient;
import io.sluice.querymonitor.index.IndexAdvisor;
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.query.QueryStatsService;
import io.sluice.querymonitor.verification.ActiveVerifications;
import io.sluice.querymonitor.verification.Verdict.Outcome;
import io.sluice.querymonitor.verification.VerificationService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Evaluates the scorecard: asks replica-router, cache-service and partition-manager (over HTTP, in parallel,
 * through the console's client: a service that does not answer within {@code console.timeout} makes its targets
 * unknown) and reads query-monitor's own fleet figures. Never fails: what cannot be read is an unknown verdict.
 */
@ApplicationScoped
public class ScorecardService {

    private static final int SLOW_LIMIT = 50;

    private final UpstreamClient upstream;
    private final AdminToken admin;
    private final QueryStatsService stats;
    private final ActiveVerifications active;
    private final VerificationService verifications;
    private final IndexAdvisor advisor;
    private final QueryMonitorConfig config;
    private final ValidationConfig validation;
    private final ValidationMetrics metrics;
    private final Clock clock;
    private final ScrapeHistory routerHistory = new ScrapeHistory();
    private final ScrapeHistory cacheHistory = new ScrapeHistory();

    public ScorecardService(UpstreamClient upstream, AdminToken admin, QueryStatsService stats,
            ActiveVerifications active, VerificationService verifications, IndexAdvisor advisor,
            QueryMonitorConfig config, ValidationConfig validation, ValidationMetrics metrics, Clock clock) {
        this.upstream = upstream;
        this.admin = admin;
        this.stats = stats;
        this.active = active;
        this.verifications = verifications;
        this.advisor = advisor;
        this.config = config;
        this.validation = validation;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Window defaultWindow() {
        return validation.defaultWindow();
    }

    public Uni<Scorecard> evaluate(Window window) {
        Instant now = clock.instant();
        String w = window.label();
        Uni<Scraped> router = scrape(ConsoleService.REPLICA_ROUTER, RouterFigures.PREFIX, RouterFigures::of,
                routerHistory, now, window);
        Uni<Scraped> cache = scrape(ConsoleService.CACHE_SERVICE, CacheFigures.PREFIX, CacheFigures::of,
                cacheHistory, now, window);
        Uni<TargetResult> runway = partitionSets().map(r -> RunwayTarget.of(r.sets, r.why, validation));
        Uni<List<TargetResult>> own = stats.aggregates(window, Optional.empty())
                .map(this::merge)
                .map(all -> List.of(QueryTargets.errorRate(all, null, w, validation),
                        QueryTargets.latency(all, null, w, validation)))
                .onFailure().recoverWithItem(e -> List.of(
                        QueryTargets.errorRate(null, unreadable(e), w, validation),
                        QueryTargets.latency(null, unreadable(e), w, validation)));
        double slowMs = config.slowThreshold().toNanos() / 1e6;
        Uni<TargetResult> slow = stats.slow(window, Optional.empty(), SLOW_LIMIT)
                .chain(list -> Uni.combine().all().unis(outcomes(list), alreadyIndexed(list)).asTuple()
                        .map(t -> QueryTargets.slowQueries(list, t.getItem1(), t.getItem2(), null, w, slowMs)))
                .onFailure().recoverWithItem(e -> QueryTargets.slowQueries(null, null, Set.of(), unreadable(e), w,
                        slowMs));
        return Uni.combine().all().unis(router, cache, runway, own, slow).asTuple().map(t -> {
            List<TargetResult> targets = new ArrayList<>();
            Scraped r = t.getItem1();
            Scraped c = t.getItem2();
            targets.add(RouterTargets.lag(r, validation));
            targets.add(RouterTargets.replicaReads(r, validation));
            targets.add(RouterTargets.pool(r, validation));
            targets.add(CacheTargets.hitRate(c, validation));
            targets.add(CacheTargets.dbQueryReduction(c, validation));
            targets.add(t.getItem4().get(0));
            targets.add(t.getItem3());
            targets.add(t.getItem5());
            targets.add(t.getItem4().get(1));
            Scorecard card = Scorecard.of(w, now, targets);
            if (window == defaultWindow()) {
                metrics.record(card);
            }
            return card;
        });
    }

    private Uni<Scraped> scrape(ConsoleService service, String prefix,
            Function<List<PrometheusText.Sample>, Map<String, Double>> figures, ScrapeHistory history, Instant now,
            Window window) {
        return upstream.get(service, "/q/metrics", null).map(u -> {
            if (!u.ok()) {
                return Scraped.unreachable(service.id(), failure(u));
            }
            Map<String, Double> current = figures.apply(PrometheusText.parse(u.body(), prefix));
            ScrapeHistory.Delta delta = history.delta(now, window.length(), current);
            history.record(now, current);
            return new Scraped(service.id(), current, delta, history, now, window.length(), null);
        }).onFailure().recoverWithItem(e -> Scraped.unreachable(service.id(), "answered metrics the scorecard"
                + " cannot read: " + e.getMessage()));
    }

    private record Sets(List<JsonObject> sets, String why) {
    }

    private Uni<Sets> partitionSets() {
        String auth = admin.token().map(s -> "Bearer " + s).orElse(null);
        ConsoleService pm = ConsoleService.PARTITION_MANAGER;
        return upstream.get(pm, "/v1/partition-sets", auth).chain(list -> {
            if (!list.ok()) {
                return Uni.createFrom().item(new Sets(null, describe(list)));
            }
            JsonArray names = new JsonArray(list.body());
            if (names.isEmpty()) {
                return Uni.createFrom().item(new Sets(List.of(), null));
            }
            List<Uni<Upstream>> gets = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                gets.add(upstream.get(pm, "/v1/partition-sets/" + names.getJsonObject(i).getString("name"), auth));
            }
            return Uni.join().all(gets).andFailFast().map(answers -> {
                List<JsonObject> sets = new ArrayList<>();
                for (Upstream a : answers) {
                    if (!a.ok()) {
                        return new Sets(null, describe(a));
                    }
                    sets.add(new JsonObject(a.body()));
                }
                return new Sets(sets, null);
            });
        }).onFailure().recoverWithItem(e -> new Sets(null, "partition-manager answered what the scorecard cannot"
                + " read: " + e.getMessage()));
    }

    /** The slow fingerprints an index could serve whose database already has every such index. */
    private Uni<Set<String>> alreadyIndexed(List<QueryStats> slow) {
        List<QueryStats> indexable = slow.stream().filter(s -> QueryTargets.indexable(s.sql())).toList();
        return Multi.createFrom().iterable(indexable)
                .onItem().transformToUniAndConcatenate(s -> advisor.alreadyIndexed(s.database(), s.sql())
                        .map(yes -> yes ? s.fingerprint() : ""))
                .filter(fp -> !fp.isEmpty()).collect().asSet();
    }

    /** Each slow fingerprint's verification outcomes (the verifications of the last 7 days that cover it). */
    private Uni<Map<String, List<Outcome>>> outcomes(List<QueryStats> slow) {
        Map<String, List<Uni<Outcome>>> byFingerprint = new HashMap<>();
        for (QueryStats s : slow) {
            for (String id : active.idsFor(s.fingerprint())) {
                byFingerprint.computeIfAbsent(s.fingerprint(), k -> new ArrayList<>())
                        .add(verifications.judge(id).map(v -> v.outcome()).onFailure().recoverWithNull());
            }
        }
        if (byFingerprint.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<String> fps = new ArrayList<>(byFingerprint.keySet());
        List<Uni<List<Outcome>>> unis = fps.stream()
                .map(fp -> Uni.join().all(byFingerprint.get(fp)).andFailFast()
                        .map(l -> l.stream().filter(o -> o != null).toList()))
                .toList();
        return Uni.join().all(unis).andFailFast().map(lists -> {
            Map<String, List<Outcome>> out = new HashMap<>();
            for (int i = 0; i < fps.size(); i++) {
                out.put(fps.get(i), lists.get(i));
            }
            return out;
        });
    }

    /** Every fingerprint's aggregate of the window merged into one (sketches merge by adding buckets). */
    private Aggregate merge(Map<String, Aggregate> aggregates) {
        Aggregate all = new Aggregate(config.aggregation().relativeAccuracy());
        aggregates.values().forEach(all::merge);
        return all;
    }

    /** "answered HTTP 503" when the service answered with an error, else why it could not be reached. */
    private static String failure(Upstream u) {
        return u.reached() ? "answered HTTP " + u.status() : u.unreachable();
    }

    private static String describe(Upstream partitionManager) {
        return partitionManager.reached() ? "partition-manager " + failure(partitionManager)
                : "partition-manager unreachable: " + failure(partitionManager);
    }

    private static String unreadable(Throwable e) {
        return "query-monitor's figures could not be read from Redis: " + e.getMessage();
    }
}
