package io.sluice.cacheservice.invalidation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailSafePlanTest {

    private static final long INTERVAL = 10_000_000; // 10 s in µs

    @Test
    void aLossIsCoveredByAnyBumpAfterItWasDetected() {
        assertThat(FailSafeInvalidation.plan(5_000_001, 5_000_000, 5_000_002, INTERVAL)).isZero();
        assertThat(FailSafeInvalidation.plan(5_000_000, 5_000_000, 5_000_000, INTERVAL)).isZero();
    }

    @Test
    void aBumpLongEnoughAgoMeansBumpNow() {
        assertThat(FailSafeInvalidation.plan(0, 50_000_000, 50_000_000, INTERVAL)).isNegative();
        assertThat(FailSafeInvalidation.plan(40_000_000, 50_000_000, 50_000_000, INTERVAL)).isNegative();
    }

    @Test
    void aRecentBumpDefersTheNextUntilTheIntervalHasPassedSinceIt() {
        assertThat(FailSafeInvalidation.plan(45_000_000, 50_000_000, 50_000_000, INTERVAL)).isEqualTo(5_000_000);
        // Decided again after waiting: the interval is over, the loss still uncovered: bump now.
        assertThat(FailSafeInvalidation.plan(45_000_000, 50_000_000, 55_000_000, INTERVAL)).isNegative();
        assertThat(FailSafeInvalidation.plan(45_000_000, 50_000_000, 54_000_000, INTERVAL)).isEqualTo(1_000_000);
    }
}
