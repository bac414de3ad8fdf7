package io.sluice.querymonitor.console;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds the overview: every service's readiness and key figure, asked in parallel. A service that does not
 * answer is a DOWN card, never a failed page.
 */
@ApplicationScoped
public class OverviewService {

    private final UpstreamClient upstream;
    private final ConsoleConfig config;
    private final Clock clock;
    /** The rate-limiter's limited-decisions counter at the previous overview, to show a per-minute rate. */
    private final AtomicReference<double[]> lastLimited = new AtomicReference<>();

    public OverviewService(UpstreamClient upstream, ConsoleConfig config, Clock clock) {
        this.upstream = upstream;
        this.config = config;
        this.clock = clock;
    }

    public Uni<List<Card>> cards() {
        List<Uni<Card>> unis = Arrays.stream(ConsoleService.values()).map(this::card).toList();
        return Uni.join().all(unis).andFailFast();
    }

    Uni<Card> card(ConsoleService service) {
        Uni<Upstream> health = upstream.get(service, "/q/health/ready", null);
        return Uni.combine().all().unis(health, figure(service)).asTuple().map(t -> {
            Upstream h = t.getItem1();
            String status = h.reached() && h.status() == 200 ? "UP" : "DOWN";
            return new Card(service.id(), status, "UP".equals(status) ? null : reason(h), t.getItem2(),
                    clock.instant());
        });
    }

    private Uni<Card.Figure> figure(ConsoleService service) {
        return switch (service) {
            case QUERY_MONITOR -> upstream.get(service, "/metrics/queries?window=5m&sort=p95&limit=1", null)
                    .map(this::slowestP95);
            case REPLICA_ROUTER -> metrics(service, "sluice_replicarouter_", "max replica lag", samples ->
                    PrometheusText.max(samples, "sluice_replicarouter_replica_lag_seconds").isPresent()
                            ? Card.Figure.of("max replica lag",
                                    PrometheusText.max(samples, "sluice_replicarouter_replica_lag_seconds")
                                            .getAsDouble(), "s", null)
                            : Card.Figure.missing("max replica lag", "no replica reported"));
            case CACHE_SERVICE -> metrics(service, "sluice_cacheservice_", "hit rate", samples -> {
                double hits = PrometheusText.sum(samples, "sluice_cacheservice_lookups_total",
                        l -> "hit".equals(l.get("outcome")));
                double all = PrometheusText.sum(samples, "sluice_cacheservice_lookups_total", l -> true);
                return all == 0 ? Card.Figure.missing("hit rate", "no lookups yet")
                        : Card.Figure.of("hit rate", hits / all, "ratio", "since the service started");
            });
            case RATE_LIMITER -> metrics(service, "sluice_ratelimiter_", "rejected / min", samples -> rejectedPerMinute(
                    PrometheusText.sum(samples, "sluice_ratelimiter_decisions_total",
                            l -> "limited".equals(l.get("result")))));
            case PARTITION_MANAGER -> metrics(service, "sluice_partitionmanager_", "smallest runway", samples ->
                    PrometheusText.min(samples, "sluice_partitionmanager_set_runway").isPresent()
                            ? Card.Figure.of("smallest runway",
                                    PrometheusText.min(samples, "sluice_partitionmanager_set_runway").getAsDouble(),
                                    "partitions", null)
                            : Card.Figure.missing("smallest runway", "no partition set"));
        };
    }

    private Uni<Card.Figure> metrics(ConsoleService service, String prefix, String label,
            java.util.function.Function<List<PrometheusText.Sample>, Card.Figure> read) {
        return upstream.get(service, "/q/metrics", null).map(u -> u.ok()
                ? read.apply(PrometheusText.parse(u.body(), prefix))
                : Card.Figure.missing(label, u.reached() ? "HTTP " + u.status() : u.unreachable()));
    }

    private Card.Figure slowestP95(Upstream u) {
        String label = "slowest p95 (5m)";
        if (!u.ok()) {
            return Card.Figure.missing(label, u.reached() ? "HTTP " + u.status() : u.unreachable());
        }
        JsonArray queries = new JsonObject(u.body()).getJsonArray("queries", new JsonArray());
        if (queries.isEmpty()) {
            return Card.Figure.missing(label, "no queries in the window");
        }
        JsonObject top = queries.getJsonObject(0);
        return Card.Figure.of(label, top.getDouble("p95Ms", 0.0), "ms", top.getString("sql"));
    }

    private Card.Figure rejectedPerMinute(double limitedTotal) {
        long now = clock.millis();
        double[] previous = lastLimited.getAndSet(new double[] {now, limitedTotal});
        if (previous == null || now <= previous[0] || limitedTotal < previous[1]) {
            return Card.Figure.missing("rejected / min", "measuring (" + (long) limitedTotal + " since start)");
        }
        double perMinute = (limitedTotal - previous[1]) * 60_000.0 / (now - previous[0]);
        return Card.Figure.of("rejected / min", perMinute, "per minute", (long) limitedTotal + " since start");
    }

    /** Why a service is not ready: unreachable, or the names (and data) of its DOWN checks. */
    static String reason(Upstream h) {
        if (!h.reached()) {
            return h.unreachable();
        }
        try {
            JsonArray checks = new JsonObject(h.body()).getJsonArray("checks", new JsonArray());
            List<String> down = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                JsonObject c = checks.getJsonObject(i);
                if (!"UP".equals(c.getString("status"))) {
                    JsonObject data = c.getJsonObject("data");
                    down.add(c.getString("name") + (data == null || data.isEmpty() ? "" : " " + data.encode()));
                }
            }
            String text = down.isEmpty() ? "HTTP " + h.status() : String.join("; ", down);
            return text.length() > 300 ? text.substring(0, 300) + "…" : text;
        } catch (RuntimeException e) {
            return "HTTP " + h.status();
        }
    }
}
