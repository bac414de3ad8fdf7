package io.sluice.replicarouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.sluice.replicarouter.node.CircuitBreaker;

class CircuitBreakerTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(5), clock);

    @Test
    void opensAfterConsecutiveFailuresAndClosesAfterTheCoolOff() {
        assertThat(breaker.failure()).isFalse();
        assertThat(breaker.failure()).isFalse();
        assertThat(breaker.failure()).isTrue();
        assertThat(breaker.isOpen()).isTrue();
        clock.now = clock.now.plusSeconds(4);
        assertThat(breaker.isOpen()).isTrue();
        clock.now = clock.now.plusSeconds(2);
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aSuccessResetsTheCount() {
        breaker.failure();
        breaker.failure();
        breaker.success();
        assertThat(breaker.failure()).isFalse();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aSuccessClosesAnOpenCircuit() {
        breaker.failure();
        breaker.failure();
        breaker.failure();
        breaker.success();
        assertThat(breaker.isOpen()).isFalse();
    }
}
