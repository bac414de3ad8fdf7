package io.sluice.querymonitor.verification;

import java.time.Instant;
import java.util.List;

/** The answer of GET /v1/indexes/verifications/{id}. */
public record Verdict(String id, String index, Outcome outcome, String reason, Instant startedAt,
        List<PerFingerprint> fingerprints) {

    public enum Outcome {
        PENDING, EFFECTIVE, INEFFECTIVE, WORSE
    }

    public record PerFingerprint(String fingerprint, Figures before, Figures after, Outcome outcome) {
    }
}
