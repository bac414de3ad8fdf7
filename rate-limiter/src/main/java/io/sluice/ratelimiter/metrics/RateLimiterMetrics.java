package io.sluice.ratelimiter.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sluice.ratelimiter.gcra.Decision;
import io.sluice.ratelimiter.gcra.PolicyState;
import io.sluice.ratelimiter.gcra.Source;
import io.sluice.ratelimiter.tier.Tier;

/**
 * The rate limiter's meters. Tags come from closed sets (tier, result, source, reason) or from the configured
 * policy names; never from an API key.
 */
@Startup
@ApplicationScoped
public class RateLimiterMetrics {

    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter offendersDropped;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public RateLimiterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("sluice.ratelimiter.decision.duration")
                .description("Time to decide one check, Redis round trip included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        this.offendersDropped = Counter.builder("sluice.ratelimiter.offenders.dropped")
                .description("Rejections not counted for the offenders list because its memory bound was reached")
                .register(registry);
        for (Tier tier : Tier.values()) {
            decisions(tier, "allowed", Source.REDIS);
            decisions(tier, "limited", Source.REDIS);
        }
        redisErrors("timeout");
        redisErrors("error");
        recordHotKeysInvalidated("key_change", 0);
        recordHotKeysInvalidated("feed_lost", 0);
    }

    public void recordDecision(Decision d, long nanos) {
        String result = d.allowed() ? (d.shadowed() ? "shadow-limited" : "allowed") : "limited";
        decisions(d.set().tier(), result, d.source()).increment();
        latency.record(Duration.ofNanos(nanos));
        for (PolicyState s : d.states()) {
            if (s.nearLimit()) {
                counters.computeIfAbsent("near:" + s.policy().name(), k -> Counter.builder("sluice.ratelimiter.near.limit")
                        .description("Checks that left a policy at least 80% used")
                        .tag("policy", s.policy().name()).register(registry)).increment();
            }
        }
    }

    public void recordRedisError(String reason) {
        redisErrors(reason).increment();
    }

    public void recordOffenderDropped() {
        offendersDropped.increment();
    }

    /** A key change this instance announced to the fleet (or failed to). */
    public void recordAnnouncement(boolean sent) {
        counters.computeIfAbsent("a:" + sent, k -> Counter.builder("sluice.ratelimiter.key.changes.announced")
                .description("Key settings changes and counter resets announced to every instance over pub/sub")
                .tag("outcome", sent ? "sent" : "failed").register(registry)).increment();
    }

    /** Cached refusals dropped: cause=key_change (announced by any instance) or feed_lost (announcements unknown). */
    public void recordHotKeysInvalidated(String cause, int entries) {
        Counter c = counters.computeIfAbsent("h:" + cause, k -> Counter.builder("sluice.ratelimiter.hot.keys.invalidated")
                .description("Refusals dropped from the in-process hot-key cache, by cause")
                .tag("cause", cause).register(registry));
        if (entries > 0) {
            c.increment(entries);
        }
    }

    /** 1 while this instance hears the fleet's key changes (the hot-key cache is only used then), else 0. */
    public <T> void watchChangeFeed(T source, java.util.function.ToDoubleFunction<T> connected) {
        Gauge.builder("sluice.ratelimiter.change.feed.connected", source, connected)
                .description("1 while the key-change announcements are received (the hot-key cache is used only then)")
                .register(registry);
    }

    /**
     * Decisions counted since start by {@code <tier>:<result>} (allowed, limited, shadow-limited), summed over where
     * they were made: what the history charts by tier.
     */
    public Map<String, Double> decisionTotals() {
        Map<String, Double> totals = new java.util.TreeMap<>();
        counters.forEach((key, counter) -> {
            if (key.startsWith("d:")) {
                String[] parts = key.split(":");
                totals.merge(parts[1] + ":" + parts[2], counter.count(), Double::sum);
            }
        });
        return totals;
    }

    private Counter decisions(Tier tier, String result, Source source) {
        return counters.computeIfAbsent("d:" + tier.id() + ":" + result + ":" + source.id(),
                k -> Counter.builder("sluice.ratelimiter.decisions")
                        .description("Rate-limit decisions by tier, result and where they were made")
                        .tag("tier", tier.id()).tag("result", result).tag("source", source.id())
                        .register(registry));
    }

    private Counter redisErrors(String reason) {
        return counters.computeIfAbsent("e:" + reason, k -> Counter.builder("sluice.ratelimiter.redis.errors")
                .description("Failed Redis calls of the decision path (timeout or error)")
                .tag("reason", reason).register(registry));
    }
}
