package io.sluice.querymonitor.slow;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.list.ReactiveListCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.sluice.common.redis.RedisOutage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.aggregate.Aggregate;
import io.sluice.querymonitor.aggregate.AggregateKeys;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.metrics.QueryMonitorMetrics;
import io.sluice.querymonitor.query.QueryStatsService;

/**
 * Flags a fingerprint whose p95 over the recent window exceeds k times its baseline: the last 24 h without that
 * recent window (the sketches subtract bucket by bucket). Each regression is an event (a WARN log line, a counter,
 * and an entry in a capped Redis list) raised at most once an hour per fingerprint and database, fleet-wide.
 */
@ApplicationScoped
public class RegressionDetector {

    private static final Logger LOG = Logger.getLogger(RegressionDetector.class);
    private static final String EVENTS = AggregateKeys.PREFIX + "regressions";
    private static final int MAX_EVENTS = 200;
    private static final Duration QUIET = Duration.ofHours(1);

    private final QueryStatsService stats;
    private final ReactiveRedisDataSource redis;
    private final ReactiveListCommands<String, Regression> events;
    private final QueryMonitorConfig config;
    private final QueryMonitorMetrics metrics;
    private final Clock clock;

    public RegressionDetector(QueryStatsService stats, ReactiveRedisDataSource redis, QueryMonitorConfig config,
            QueryMonitorMetrics metrics, Clock clock) {
        this.stats = stats;
        this.redis = redis;
        this.events = redis.list(Regression.class);
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @return the regressions raised by this run */
    public Uni<List<Regression>> detect() {
        Window recentWindow = config.regression().window();
        return Uni.combine().all().unis(stats.aggregates(recentWindow, Optional.empty()),
                stats.aggregates(Window.ONE_DAY, Optional.empty())).asTuple()
                .map(t -> candidates(recentWindow, t.getItem1(), t.getItem2()))
                .chain(found -> Multi.createFrom().iterable(found).onItem().transformToUniAndConcatenate(this::raise)
                        .filter(java.util.Objects::nonNull).collect().asList());
    }

    public Uni<List<Regression>> recent() {
        return RedisOutage.asProblem(events.lrange(EVENTS, 0, MAX_EVENTS - 1), QueryMonitorProblem.REDIS_UNAVAILABLE);
    }

    private List<Regression> candidates(Window window, Map<String, Aggregate> recent, Map<String, Aggregate> day) {
        List<Regression> out = new ArrayList<>();
        double k = config.regression().factor();
        recent.forEach((member, r) -> {
            Aggregate baseline = day.get(member);
            if (baseline == null || r.calls() < config.regression().minCalls()) {
                return;
            }
            baseline.subtract(r);
            double base = baseline.quantileMs(0.95);
            double now = r.quantileMs(0.95);
            if (baseline.calls() > 0 && base > 0 && now > k * base) {
                int bar = member.indexOf('|');
                out.add(new Regression(member.substring(0, bar), member.substring(bar + 1), clock.instant(),
                        window.label(), round(now), round(base), r.calls(), k));
            }
        });
        return out;
    }

    /** Records the event unless it was raised in the last hour (by any instance). */
    private Uni<Regression> raise(Regression r) {
        String quiet = AggregateKeys.PREFIX + "regression:" + r.fingerprint() + ":" + r.database();
        return redis.value(String.class).setGet(quiet, "1", new SetArgs().nx().ex(QUIET)).chain(previous -> {
            if (previous != null) {
                return Uni.createFrom().nullItem();
            }
            metrics.recordRegression();
            LOG.warnf("regression: fingerprint %s on %s has p95 %.1f ms over %s, %.1f times its 24 h p95 %.1f ms",
                    r.fingerprint(), r.database(), r.recentP95Ms(), r.window(), r.recentP95Ms() / r.baselineP95Ms(),
                    r.baselineP95Ms());
            return events.lpush(EVENTS, r).chain(() -> events.ltrim(EVENTS, 0, MAX_EVENTS - 1))
                    .chain(() -> redis.key().expire(EVENTS, Duration.ofHours(24))).replaceWith(r);
        });
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
