package io.sluice.replicarouter.report;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.common.sql.SqlNormalizer;

/** Normalized text and fingerprint per SQL text, cached (bounded): apps repeat the same statements. */
@ApplicationScoped
public class Fingerprints {

    /** A statement's normalized text (no literal values) and its fingerprint. */
    public record Fingerprint(String normalized, String id) {
    }

    private final Cache<String, Fingerprint> cache = Caffeine.newBuilder().maximumSize(10_000).build();

    public Fingerprint of(String sql) {
        return cache.get(sql, s -> {
            String normalized = SqlNormalizer.normalize(s);
            return new Fingerprint(normalized, SqlNormalizer.fingerprintOfNormalized(normalized));
        });
    }
}
