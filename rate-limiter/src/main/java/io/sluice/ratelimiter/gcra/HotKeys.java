package io.sluice.ratelimiter.gcra;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.metrics.RateLimiterMetrics;

/**
 * Keys known to be over their limit, answered in-process until their retry time without a Redis call. Only a
 * refusal is cached, only for a request of at least the cost that was refused, keyed by the policy-set version (a
 * tier, override or catalogue change seen here makes it unreachable). A change made through any instance reaches
 * every instance through {@link KeyChanges}: the key's entries are dropped, and a refusal decided before the change
 * (its change time older than the announced one) is not cached. While that feed is down, and for refusals decided
 * before it last connected, nothing is answered from here: Redis decides.
 */
@ApplicationScoped
public class HotKeys {

    private static final long EARLY_MILLIS = 5;

    private record Entry(Decision decision, long cost, long untilMillis, long generation) {
    }

    private final Cache<String, Entry> refused;
    /** Key hash to the newest change time announced for it. */
    private final Cache<String, Long> announced;
    private final Clock clock;
    private final RateLimiterMetrics metrics;
    private final boolean enabled;
    private final long minRetryMicros;
    /** Moves on every connect and loss of the change feed; entries of an older generation are never used. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean feedConnected;

    public HotKeys(RateLimiterConfig config, Clock clock, RateLimiterMetrics metrics) {
        this.enabled = config.hotKeys().maxEntries() > 0;
        this.refused = Caffeine.newBuilder().maximumSize(Math.max(1, config.hotKeys().maxEntries())).build();
        this.announced = Caffeine.newBuilder().maximumSize(Math.max(1, config.hotKeys().maxEntries())).build();
        this.clock = clock;
        this.metrics = metrics;
        this.minRetryMicros = config.hotKeys().minRetry().toNanos() / 1000;
        metrics.watchChangeFeed(this, h -> h.feedConnected ? 1 : 0);
    }

    /** Whether refusals may be answered from here: the key-change feed is connected. */
    public boolean inUse() {
        return enabled && feedConnected;
    }

    /** Read before asking Redis; {@link #remember} caches the answer only if it is still current. */
    public long generation() {
        return generation.get();
    }

    /** The cached refusal, with its retry time counted down, or null. */
    public Decision refusal(String stateKey, String version, long cost) {
        if (!enabled || !feedConnected) {
            return null;
        }
        String id = stateKey + "|" + version;
        Entry e = refused.getIfPresent(id);
        if (e == null || cost < e.cost()) {
            return null;
        }
        long left = e.untilMillis() - clock.millis();
        if (left <= 0 || e.generation() != generation.get()) {
            refused.invalidate(id);
            return null;
        }
        long elapsedMicros = (e.decision().retryAfterMicros() - left * 1000);
        var states = e.decision().states().stream().map(s -> new PolicyState(s.policy(), s.ok(), s.remaining(),
                s.ok() ? 0 : Math.max(0, s.retryAfterMicros() - elapsedMicros),
                Math.max(0, s.resetAfterMicros() - elapsedMicros))).toList();
        return new Decision(false, false, e.decision().set(), states, Source.HOT_CACHE);
    }

    /**
     * Caches a refusal Redis decided, unless the change feed moved since {@code askedAt} (a change may have been
     * missed) or a change of the key newer than the one the script saw was announced meanwhile.
     */
    public void remember(String keyHash, String stateKey, Decision refusal, long cost, long change, long askedAt) {
        long retry = refusal.retryAfterMicros();
        if (!enabled || refusal.allowed() || retry < minRetryMicros || !feedConnected
                || askedAt != generation.get()) {
            return;
        }
        Long newest = announced.getIfPresent(keyHash);
        if (newest != null && change < newest) {
            return;
        }
        // Ask Redis again a few ms early: clocks differ, and a late ask would leave quota unused.
        refused.put(stateKey + "|" + refusal.set().version(),
                new Entry(refusal, cost, clock.millis() + retry / 1000 - EARLY_MILLIS, askedAt));
    }

    /** A change of the key (settings or counters) made through any instance: forget its refusals now. */
    public void changed(String keyHash, long change) {
        announced.asMap().merge(keyHash, change, Math::max);
        forget(RedisKeys.state(keyHash, null), "key_change");
    }

    /** A change made on this instance: forget the key's refusals (all its resources) now. */
    public void forget(String stateKey) {
        forget(stateKey, "key_change");
    }

    private void forget(String stateKey, String cause) {
        int before = refused.asMap().size();
        refused.asMap().keySet().removeIf(k -> k.startsWith(stateKey));
        metrics.recordHotKeysInvalidated(cause, before - refused.asMap().size());
    }

    void feedConnected() {
        generation.incrementAndGet();
        feedConnected = true;
    }

    void feedLost() {
        feedConnected = false;
        generation.incrementAndGet();
        int dropped = refused.asMap().size();
        refused.invalidateAll();
        metrics.recordHotKeysInvalidated("feed_lost", dropped);
    }
}
