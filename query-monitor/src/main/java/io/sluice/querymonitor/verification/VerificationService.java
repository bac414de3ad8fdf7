package io.sluice.querymonitor.verification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.aggregate.Aggregate;
import io.sluice.querymonitor.aggregate.AggregateStore;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.query.QueryStatsService;
import io.sluice.querymonitor.verification.Verdict.Outcome;

/**
 * "Did the index help?": records each fingerprint's baseline (the configured window before the start), collects
 * the samples that arrive afterwards in their own aggregates, and once enough calls or time have passed compares
 * p95 and mean before and after.
 */
@ApplicationScoped
public class VerificationService {

    private final QueryStatsService stats;
    private final AggregateStore aggregates;
    private final VerificationStore store;
    private final QueryMonitorConfig config;
    private final Clock clock;

    public VerificationService(QueryStatsService stats, AggregateStore aggregates, VerificationStore store,
            QueryMonitorConfig config, Clock clock) {
        this.stats = stats;
        this.aggregates = aggregates;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Verification> start(String index, List<String> fingerprints, Optional<Long> minCalls) {
        Window baselineWindow = config.verification().baselineWindow();
        return stats.all(baselineWindow, Optional.empty(), Optional.empty()).chain(all -> {
            Map<String, Figures> baseline = new HashMap<>();
            for (String fp : fingerprints) {
                // The database with most calls of this fingerprint stands for it.
                all.stream().filter(s -> s.fingerprint().equals(fp) && s.calls() > 0)
                        .max(Comparator.comparingLong(QueryStats::calls))
                        .ifPresent(s -> baseline.put(fp, new Figures(s.calls(), s.meanMs(), s.p95Ms())));
            }
            var v = new Verification(UUID.randomUUID().toString(), index, List.copyOf(fingerprints),
                    clock.instant(), minCalls.orElse(config.verification().minCalls()),
                    config.verification().minTime(), baseline);
            return store.save(v).replaceWith(v);
        });
    }

    public Uni<Verdict> judge(String id) {
        return store.find(id).onItem().ifNull().failWith(() -> new ProblemException(
                QueryMonitorProblem.VERIFICATION_NOT_FOUND, "no verification " + id + " (they expire after 7 days)"))
                .chain(v -> {
                    List<Uni<Aggregate>> reads = v.fingerprints().stream()
                            .map(fp -> aggregates.readKey(ActiveVerifications.afterKey(v.id(), fp))).toList();
                    return Uni.join().all(reads).andFailFast().map(after -> verdict(v, after));
                });
    }

    private Verdict verdict(Verification v, List<Aggregate> after) {
        Instant now = clock.instant();
        boolean timeUp = Duration.between(v.startedAt(), now).compareTo(v.minTime()) >= 0;
        List<Verdict.PerFingerprint> per = new ArrayList<>();
        long afterCalls = 0;
        for (int i = 0; i < v.fingerprints().size(); i++) {
            String fp = v.fingerprints().get(i);
            Aggregate a = after.get(i);
            afterCalls += a.calls();
            Figures before = v.baseline().get(fp);
            Figures now2 = new Figures(a.calls(), round(a.meanMs()), round(a.quantileMs(0.95)));
            per.add(new Verdict.PerFingerprint(fp, before, now2, compare(before, now2)));
        }
        boolean noBaseline = per.stream().allMatch(p -> p.before() == null);
        if (noBaseline) {
            return new Verdict(v.id(), v.index(), Outcome.PENDING,
                    "no samples of these fingerprints before the start: nothing to compare with", v.startedAt(), per);
        }
        if (afterCalls < v.minCalls() && !(timeUp && afterCalls > 0)) {
            return new Verdict(v.id(), v.index(), Outcome.PENDING, afterCalls + " of " + v.minCalls()
                    + " calls seen since the start (or wait " + v.minTime() + ")", v.startedAt(), per);
        }
        Outcome overall = per.stream().map(Verdict.PerFingerprint::outcome).filter(o -> o != Outcome.PENDING)
                .reduce(Outcome.EFFECTIVE, VerificationService::worst);
        return new Verdict(v.id(), v.index(), overall, "p95 and mean before vs after, margin "
                + config.verification().margin(), v.startedAt(), per);
    }

    private Outcome compare(Figures before, Figures after) {
        if (before == null || after.calls() == 0) {
            return Outcome.PENDING;
        }
        double m = config.verification().margin();
        if (after.p95Ms() >= before.p95Ms() * (1 + m)) {
            return Outcome.WORSE;
        }
        if (after.p95Ms() <= before.p95Ms() * (1 - m) && after.meanMs() <= before.meanMs() * (1 - m)) {
            return Outcome.EFFECTIVE;
        }
        return Outcome.INEFFECTIVE;
    }

    private static Outcome worst(Outcome a, Outcome b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
