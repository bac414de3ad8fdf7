package io.sluice.querymonitor.verification;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.querymonitor.aggregate.AggregateKeys;
import io.sluice.querymonitor.aggregate.Target;

/**
 * The index verifications running fleet-wide, as fingerprint to verification ids: samples of those fingerprints
 * are also added to each verification's own "after" aggregate. Refreshed from Redis by the flush job, so a
 * verification started on another instance is followed here within about a second.
 */
@ApplicationScoped
public class ActiveVerifications {

    private volatile Map<String, List<String>> byFingerprint = Map.of();
    private long applied;

    /** Ids of the verifications (of the last 7 days) that cover this fingerprint. */
    public List<String> idsFor(String fingerprint) {
        return byFingerprint.getOrDefault(fingerprint, List.of());
    }

    public List<Target> targetsFor(String fingerprint) {
        List<String> ids = byFingerprint.get(fingerprint);
        if (ids == null) {
            return List.of();
        }
        return ids.stream().map(id -> afterTarget(id, fingerprint)).toList();
    }

    /**
     * Adopts what a refresh read; {@code read} numbers the refreshes in the order they started, so a slow refresh
     * that read the set before a verification was added cannot drop it after a newer one added it.
     */
    public synchronized void replace(Map<String, List<String>> active, long read) {
        if (read > applied) {
            applied = read;
            byFingerprint = Map.copyOf(active);
        }
    }

    public static String afterKey(String id, String fingerprint) {
        return AggregateKeys.PREFIX + "verification:" + id + ":after:" + fingerprint;
    }

    static Target afterTarget(String id, String fingerprint) {
        return new Target(afterKey(id, fingerprint), null, null, VerificationStore.TTL);
    }
}
