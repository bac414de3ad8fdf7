package io.sluice.ratelimiter.tier;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.sluice.ratelimiter.outage.OutageMode;
import io.sluice.ratelimiter.policy.Policy;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The catalogue as operators changed it, one JSON value in Redis (one key, no TTL: it is configuration, and
 * absent means the config's defaults). A save is announced on a pub/sub channel, which every instance listens to
 * ({@link CatalogueSync}); each also re-reads it every {@code redis.catalogue-refresh} in case it missed one.
 */
@ApplicationScoped
public class CatalogueStore {

    /** The stored form: tier id → policies by name, shadow, on-redis-down. */
    public record Stored(String version, Map<String, TierView> tiers) {
    }

    public record TierView(Map<String, PolicySpec> policies, Boolean shadow, String onRedisDown) {

        public static TierView of(TierSpec spec) {
            Map<String, PolicySpec> policies = new LinkedHashMap<>();
            spec.policies().forEach(p -> policies.put(p.name(), PolicySpec.of(p)));
            return new TierView(policies, spec.shadow(), spec.onRedisDown().id());
        }

        /** @throws IllegalArgumentException naming what is wrong */
        public TierSpec toSpec(String tier) {
            if (policies == null || policies.isEmpty()) {
                throw new IllegalArgumentException("tier " + tier + " needs at least one policy");
            }
            List<Policy> list = policies.entrySet().stream().map(e -> {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("tier " + tier + ": policy " + e.getKey() + " is null");
                }
                return e.getValue().toPolicy(e.getKey());
            }).toList();
            OutageMode mode = onRedisDown == null ? OutageMode.LOCAL : OutageMode.parse(onRedisDown)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "tier " + tier + ": onRedisDown must be fail-open, fail-closed or local"));
            return new TierSpec(list, Boolean.TRUE.equals(shadow), mode);
        }
    }

    private final ReactiveValueCommands<String, String> values;
    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper json;

    public CatalogueStore(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.values = redis.value(String.class);
        this.pubsub = redis.pubsub(String.class);
        this.json = json;
    }

    /** Versions announced by any instance's {@link #save}; fails when the subscription's connection is lost. */
    public Multi<String> announcements() {
        return pubsub.subscribe(RedisKeys.catalogueChannel());
    }

    /** The stored catalogue, or null when operators changed nothing. */
    public Uni<Catalogue> load() {
        return values.get(RedisKeys.catalogue()).map(text -> text == null ? null : parse(text));
    }

    public Uni<Void> save(Catalogue catalogue) {
        Map<String, TierView> tiers = new LinkedHashMap<>();
        catalogue.tiers().forEach((tier, spec) -> tiers.put(tier.id(), TierView.of(spec)));
        try {
            return values.set(RedisKeys.catalogue(), json.writeValueAsString(new Stored(catalogue.version(), tiers)))
                    // Saved is saved: a lost announcement only means the others adopt it at their next re-read.
                    .call(() -> pubsub.publish(RedisKeys.catalogueChannel(), catalogue.version())
                            .onFailure().recoverWithNull());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private Catalogue parse(String text) {
        try {
            Stored stored = json.readValue(text, Stored.class);
            Map<Tier, TierSpec> tiers = new EnumMap<>(Tier.class);
            stored.tiers().forEach((id, view) -> Tier.parse(id).ifPresent(t -> tiers.put(t, view.toSpec(id))));
            return new Catalogue(stored.version(), Map.copyOf(tiers));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored tier catalogue is not readable", e);
        }
    }
}
