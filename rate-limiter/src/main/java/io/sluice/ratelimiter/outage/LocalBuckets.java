package io.sluice.ratelimiter.outage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.gcra.PolicyState;
import io.sluice.ratelimiter.policy.Policy;

/**
 * GCRA in memory, for tiers in {@code local} mode while Redis is down: approximates the limit on this
 * instance only (N instances allow up to N times the limit). Bounded: the least recently used buckets go.
 */
@ApplicationScoped
public class LocalBuckets {

    private final Cache<String, long[]> tats;
    private final Clock clock;

    @Inject
    public LocalBuckets(RateLimiterConfig config, Clock clock) {
        this(config.local().maxBuckets(), clock);
    }

    LocalBuckets(int maxBuckets, Clock clock) {
        this.tats = Caffeine.newBuilder().maximumSize(maxBuckets).build();
        this.clock = clock;
    }

    /** The same rule as the Redis script: all enforced policies pass or nothing is spent. */
    public List<PolicyState> check(String keyHash, List<Policy> policies, long cost) {
        long now = clock.millis() * 1000;
        List<long[]> cells = new ArrayList<>(policies.size());
        List<PolicyState> states = new ArrayList<>(policies.size());
        boolean allowed = true;
        synchronized (this) {
            for (Policy p : policies) {
                long[] cell = tats.get(keyHash + ":" + p.name(), k -> new long[] {now});
                cells.add(cell);
                long tat = Math.max(cell[0], now);
                long newTat = tat + p.intervalMicros() * cost;
                boolean ok = newTat - now <= p.toleranceMicros();
                allowed &= ok || p.shadow();
                long retry = ok ? 0 : p.intervalMicros() * cost > p.toleranceMicros() ? -1
                        : newTat - p.toleranceMicros() - now;
                states.add(new PolicyState(p, ok, 0, retry, tat - now));
            }
            for (int i = 0; i < policies.size(); i++) {
                Policy p = policies.get(i);
                PolicyState s = states.get(i);
                long tat = Math.max(cells.get(i)[0], now);
                if (allowed && s.ok()) {
                    tat += p.intervalMicros() * cost;
                    cells.get(i)[0] = tat;
                }
                long remaining = Math.max(0, (p.toleranceMicros() - (tat - now)) / p.intervalMicros());
                states.set(i, new PolicyState(p, s.ok(), remaining, s.retryAfterMicros(), tat - now));
            }
        }
        return states;
    }
}
