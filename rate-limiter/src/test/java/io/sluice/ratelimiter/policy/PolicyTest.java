package io.sluice.ratelimiter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void theEmissionIntervalIsTheWindowOverTheLimitAndTheToleranceIsBurstIntervals() {
        Policy minute = new Policy("minute", 600, 60, 50, false);
        assertThat(minute.intervalMicros()).isEqualTo(100_000);
        assertThat(minute.toleranceMicros()).isEqualTo(5_000_000);
        Policy day = new Policy("day", 1000, 86_400, 1000, false);
        assertThat(day.intervalMicros()).isEqualTo(86_400_000);
    }

    @Test
    void namesThatCannotBeHeaderTokensAreRefused() {
        assertThatThrownBy(() -> new Policy("Minute", 1, 1, 1, false)).hasMessageContaining("policy name");
        assertThatThrownBy(() -> new Policy("per minute", 1, 1, 1, false)).hasMessageContaining("policy name");
        assertThatThrownBy(() -> new Policy("a".repeat(33), 1, 1, 1, false)).hasMessageContaining("policy name");
        assertThat(new Policy("per-minute2", 1, 1, 1, false).name()).isEqualTo("per-minute2");
    }

    @Test
    void zeroOrNegativeFiguresAndSubMicrosecondIntervalsAreRefused() {
        assertThatThrownBy(() -> new Policy("m", 0, 60, 1, false)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Policy("m", 1, 0, 1, false)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Policy("m", 1, 60, 0, false)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new Policy("m", 2_000_000, 1, 1, false)).hasMessageContaining("microsecond");
    }
}
