package io.sluice.querymonitor.validation;

import java.time.Instant;
import java.util.List;

/**
 * The answer of GET /v1/validation: every target over the window; {@code failed} and {@code unknown} name the
 * targets with those verdicts; {@code passed} is true when no target failed (unknown ones are listed, not failed).
 */
public record Scorecard(String window, Instant checkedAt, boolean passed, List<String> failed, List<String> unknown,
        List<TargetResult> targets) {

    static Scorecard of(String window, Instant at, List<TargetResult> targets) {
        List<String> failed = targets.stream().filter(t -> t.verdict() == Verdict.FAIL).map(TargetResult::id).toList();
        List<String> unknown = targets.stream().filter(t -> t.verdict() == Verdict.UNKNOWN).map(TargetResult::id)
                .toList();
        return new Scorecard(window, at, failed.isEmpty(), failed, unknown, targets);
    }
}
