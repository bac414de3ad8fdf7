package io.sluice.ratelimiter.gcra;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.ratelimiter.config.RateLimiterConfig;
import io.sluice.ratelimiter.metrics.RateLimiterMetrics;
import io.sluice.ratelimiter.offenders.OffenderTracker;
import io.sluice.ratelimiter.outage.RedisBreaker;
import io.sluice.ratelimiter.policy.PolicySet;
import io.sluice.ratelimiter.tier.KeySettings;
import io.sluice.ratelimiter.tier.KeySettingsStore;
import io.sluice.ratelimiter.tier.PolicyResolver;
import io.sluice.ratelimiter.tier.PolicySpec;
import io.sluice.ratelimiter.tier.Tier;
import io.smallrye.mutiny.Uni;

/**
 * Decides whether an API key may spend {@code cost} now, by every policy of its tier and overrides, in one
 * Redis round trip (two when this instance's copy of the key's settings was stale). Redis trouble never
 * fails a check: the tier's outage mode decides instead.
 */
@ApplicationScoped
public class RateLimitService {

    private static final Logger LOG = Logger.getLogger(RateLimitService.class);

    private final GcraStore store;
    private final KeySettingsStore settingsStore;
    private final PolicyResolver resolver;
    private final RedisBreaker breaker;
    private final OutageDecisions outage;
    private final HotKeys hotKeys;
    private final KeyChanges changes;
    private final OffenderTracker offenders;
    private final RateLimiterMetrics metrics;
    private final Cache<String, KeySettings> settings;

    public RateLimitService(GcraStore store, KeySettingsStore settingsStore, PolicyResolver resolver,
            RedisBreaker breaker, OutageDecisions outage, HotKeys hotKeys, KeyChanges changes,
            OffenderTracker offenders, RateLimiterMetrics metrics, RateLimiterConfig config) {
        this.changes = changes;
        this.store = store;
        this.settingsStore = settingsStore;
        this.resolver = resolver;
        this.breaker = breaker;
        this.outage = outage;
        this.hotKeys = hotKeys;
        this.offenders = offenders;
        this.metrics = metrics;
        this.settings = Caffeine.newBuilder().maximumSize(config.hotKeys().maxSettings()).build();
    }

    /** @param resource null, or a resource the key has a separate allowance on */
    public Uni<Decision> check(String apiKey, String resource, long cost) {
        long start = System.nanoTime();
        String keyHash = RedisKeys.hash(apiKey);
        String stateKey = RedisKeys.state(keyHash, resource);
        return decide(keyHash, stateKey, cost, 0).invoke(d -> {
            metrics.recordDecision(d, System.nanoTime() - start);
            if (!d.enforcedAllowed()) {
                offenders.rejected(keyHash);
            }
            if (d.shadowed()) {
                LOG.infof("Shadow mode allowed key %s (tier %s) over policies %s", keyHash, d.set().tier().id(),
                        d.violated().stream().map(s -> s.policy().name()).collect(Collectors.joining(",")));
            }
        });
    }

    /** What remains for a key now, without spending anything; Redis failures propagate (operator API). */
    public Uni<Decision> status(String apiKey, String resource) {
        String keyHash = RedisKeys.hash(apiKey);
        return evaluate(keyHash, RedisKeys.state(keyHash, resource), KeySettings.NONE, 0, 0);
    }

    public Uni<KeySettings> assign(String apiKey, Tier tier, Map<String, PolicySpec> overrides) {
        String keyHash = RedisKeys.hash(apiKey);
        if (resolver.resolve(new KeySettings("check", tier, overrides)).policies().isEmpty()) { // throws if invalid
            throw new IllegalArgumentException("a key needs at least one policy; the overrides remove them all");
        }
        return settingsStore.save(keyHash, tier, overrides).invoke(saved -> {
            settings.put(keyHash, saved.settings());
            hotKeys.forget(RedisKeys.state(keyHash, null));
        }).call(saved -> changes.announce(keyHash, saved.change())).map(KeySettingsStore.Saved::settings);
    }

    /** Resets the counters and tells every instance, so none answers a refusal it cached before. */
    public Uni<Void> reset(String apiKey, String resource) {
        String keyHash = RedisKeys.hash(apiKey);
        String stateKey = RedisKeys.state(keyHash, resource);
        return store.reset(keyHash, stateKey).invoke(() -> hotKeys.forget(stateKey))
                .chain(change -> changes.announce(keyHash, change));
    }

    private Uni<Decision> decide(String keyHash, String stateKey, long cost, int attempt) {
        KeySettings known = settings.getIfPresent(keyHash);
        PolicySet set = resolver.resolve(known == null ? KeySettings.NONE : known);
        Decision cached = hotKeys.refusal(stateKey, set.version(), cost);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        String version = known == null ? "0" : known.version();
        long askedAt = hotKeys.generation();
        return breaker.call(() -> store.evaluate(keyHash, stateKey, version, cost, set.policies()))
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Redis unavailable for a check (%s); tier %s decides %s", e.getMessage(),
                            set.tier().id(), set.onRedisDown().id());
                    return null;
                })
                .chain(reply -> {
                    if (reply == null) {
                        return Uni.createFrom().item(outage.decide(stateKey, set, cost));
                    }
                    if (reply instanceof ScriptReply.StaleSettings stale && attempt < 2) {
                        settings.put(keyHash, settingsStore.parse(stale.version(), stale.settingsJson()));
                        return decide(keyHash, stateKey, cost, attempt + 1);
                    }
                    if (reply instanceof ScriptReply.Evaluated done) {
                        Decision d = new Decision(done.allowed() || set.shadow(), done.allowed(), set, done.states(),
                                Source.REDIS);
                        hotKeys.remember(keyHash, stateKey, d, cost, done.change(), askedAt);
                        return Uni.createFrom().item(d);
                    }
                    // Settings changed twice during one check: decide as if Redis were down rather than loop.
                    return Uni.createFrom().item(outage.decide(stateKey, set, cost));
                });
    }

    private Uni<Decision> evaluate(String keyHash, String stateKey, KeySettings known, long cost, int attempt) {
        PolicySet set = resolver.resolve(known);
        return store.evaluate(keyHash, stateKey, known.version(), cost, set.policies()).chain(reply -> {
            if (reply instanceof ScriptReply.StaleSettings stale && attempt < 2) {
                return evaluate(keyHash, stateKey, settingsStore.parse(stale.version(), stale.settingsJson()), cost,
                        attempt + 1);
            }
            if (reply instanceof ScriptReply.Evaluated done) {
                return Uni.createFrom().item(new Decision(done.allowed() || set.shadow(), done.allowed(), set,
                        done.states(), Source.REDIS));
            }
            return Uni.createFrom().failure(new IllegalStateException("Key settings keep changing"));
        });
    }
}
