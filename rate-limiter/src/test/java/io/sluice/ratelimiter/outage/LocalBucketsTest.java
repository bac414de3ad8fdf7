package io.sluice.ratelimiter.outage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.ratelimiter.gcra.PolicyState;
import io.sluice.ratelimiter.policy.Policy;

/** The in-memory GCRA used in local outage mode keeps the rules of the Redis script. */
class LocalBucketsTest {

    /** 60 per minute (one per second), 10 at once. */
    private static final Policy MINUTE = new Policy("minute", 60, 60, 10, false);
    /** 3 at once, one more every 10 s. */
    private static final Policy TIGHT = new Policy("tight", 6, 60, 3, false);

    private final MutableClock clock = new MutableClock();
    private final LocalBuckets buckets = new LocalBuckets(1000, clock);

    private List<PolicyState> check(String key, long cost, Policy... policies) {
        return buckets.check(key, List.of(policies), cost);
    }

    private static boolean allowed(List<PolicyState> states) {
        return states.stream().allMatch(s -> s.ok() || s.policy().shadow());
    }

    @Test
    void anIdleKeyGetsItsBurstThenOneRequestPerInterval() {
        for (int i = 1; i <= 10; i++) {
            List<PolicyState> s = check("k", 1, MINUTE);
            assertThat(allowed(s)).as("request %d", i).isTrue();
            assertThat(s.get(0).remaining()).isEqualTo(10 - i);
        }
        List<PolicyState> denied = check("k", 1, MINUTE);
        assertThat(allowed(denied)).isFalse();
        assertThat(denied.get(0).retryAfterMicros()).isEqualTo(1_000_000);
        assertThat(denied.get(0).resetAfterMicros()).isEqualTo(10_000_000);

        clock.advance(Duration.ofSeconds(1));
        assertThat(allowed(check("k", 1, MINUTE))).isTrue();
        assertThat(allowed(check("k", 1, MINUTE))).isFalse();
    }

    @Test
    void aRefusedRequestSpendsNothing() {
        for (int i = 0; i < 10; i++) {
            check("k", 1, MINUTE);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(allowed(check("k", 1, MINUTE))).isFalse();
        }
        clock.advance(Duration.ofSeconds(2));
        assertThat(allowed(check("k", 1, MINUTE))).isTrue();
        assertThat(allowed(check("k", 1, MINUTE))).isTrue();
        assertThat(allowed(check("k", 1, MINUTE))).isFalse();
    }

    @Test
    void allPoliciesPassOrNoneIsSpent() {
        for (int i = 0; i < 3; i++) {
            assertThat(allowed(check("k", 1, MINUTE, TIGHT))).isTrue();
        }
        List<PolicyState> refused = check("k", 1, MINUTE, TIGHT);
        assertThat(allowed(refused)).isFalse();
        assertThat(refused.get(0).ok()).as("the minute policy alone would pass").isTrue();
        assertThat(refused.get(0).remaining()).as("and is not charged for the refused request").isEqualTo(7);
        assertThat(refused.get(1).ok()).isFalse();
    }

    @Test
    void aShadowPolicyReportsButNeverRefuses() {
        Policy shadow = new Policy("shadow", 6, 60, 1, true);
        check("k", 1, MINUTE, shadow);
        List<PolicyState> second = check("k", 1, MINUTE, shadow);
        assertThat(second.get(1).ok()).isFalse();
        assertThat(allowed(second)).isTrue();
        assertThat(second.get(0).remaining()).isEqualTo(8);
    }

    @Test
    void aCostAboveTheBurstCanNeverPass() {
        List<PolicyState> s = check("k", 11, MINUTE);
        assertThat(allowed(s)).isFalse();
        assertThat(s.get(0).retryAfterMicros()).isEqualTo(-1);
        assertThat(allowed(check("k", 10, MINUTE))).as("the bucket was not touched").isTrue();
    }

    @Test
    void keysAreIndependent() {
        check("a", 10, MINUTE);
        assertThat(allowed(check("a", 1, MINUTE))).isFalse();
        assertThat(allowed(check("b", 1, MINUTE))).isTrue();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
