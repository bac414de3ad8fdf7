package io.sluice.ratelimiter.gcra;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.ratelimiter.config.RateLimiterConfig;

/**
 * Keys known to be over their limit, answered in-process until their retry time without a Redis call. Entries
 * are keyed by the policy-set version, so a tier, override or catalogue change seen here makes them unreachable.
 * Only a refusal is cached, and only for a request of at least the cost that was refused.
 */
@ApplicationScoped
public class HotKeys {

    private static final long EARLY_MILLIS = 5;

    private record Entry(Decision decision, long cost, long untilMillis) {
    }

    private final Cache<String, Entry> refused;
    private final Clock clock;
    private final boolean enabled;
    private final long minRetryMicros;

    public HotKeys(RateLimiterConfig config, Clock clock) {
        this.enabled = config.hotKeys().maxEntries() > 0;
        this.refused = Caffeine.newBuilder().maximumSize(Math.max(1, config.hotKeys().maxEntries())).build();
        this.clock = clock;
        this.minRetryMicros = config.hotKeys().minRetry().toNanos() / 1000;
    }

    /** The cached refusal, with its retry time counted down, or null. */
    public Decision refusal(String stateKey, String version, long cost) {
        if (!enabled) {
            return null;
        }
        String id = stateKey + "|" + version;
        Entry e = refused.getIfPresent(id);
        if (e == null || cost < e.cost()) {
            return null;
        }
        long left = e.untilMillis() - clock.millis();
        if (left <= 0) {
            refused.invalidate(id);
            return null;
        }
        long elapsedMicros = (e.decision().retryAfterMicros() - left * 1000);
        var states = e.decision().states().stream().map(s -> new PolicyState(s.policy(), s.ok(), s.remaining(),
                s.ok() ? 0 : Math.max(0, s.retryAfterMicros() - elapsedMicros),
                Math.max(0, s.resetAfterMicros() - elapsedMicros))).toList();
        return new Decision(false, false, e.decision().set(), states, Source.HOT_CACHE);
    }

    public void remember(String stateKey, Decision refusal, long cost) {
        long retry = refusal.retryAfterMicros();
        if (enabled && !refusal.allowed() && retry >= minRetryMicros) {
            // Ask Redis again a few ms early: clocks differ, and a late ask would leave quota unused.
            refused.put(stateKey + "|" + refusal.set().version(),
                    new Entry(refusal, cost, clock.millis() + retry / 1000 - EARLY_MILLIS));
        }
    }

    /** A change made on this instance: forget the key's refusals now. */
    public void forget(String stateKey) {
        refused.asMap().keySet().removeIf(k -> k.startsWith(stateKey));
    }
}
