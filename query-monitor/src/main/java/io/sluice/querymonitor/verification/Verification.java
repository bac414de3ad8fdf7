package io.sluice.querymonitor.verification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A running "did this index help?" check: the baseline per fingerprint, taken when it started. */
public record Verification(String id, String index, List<String> fingerprints, Instant startedAt, long minCalls,
        Duration minTime, Map<String, Figures> baseline) {
}
