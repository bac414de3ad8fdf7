package io.sluice.common.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HistoryRingTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static List<Long> times(History h, String series) {
        return h.points(series).stream().map(History.Point::epochSecond).toList();
    }

    @Test
    void keepsPointsOldestFirstWithTheStep() {
        HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), 360);
        ring.record(at(0), Map.of("lag", 0.5));
        ring.record(at(10), Map.of("lag", 1.5, "reads", 3.0));
        History h = ring.all(at(15));
        assertThat(h.stepSeconds()).isEqualTo(10);
        assertThat(h.capacity()).isEqualTo(360);
        assertThat(h.points("lag")).containsExactly(new History.Point(T0.getEpochSecond(), 0.5),
                new History.Point(T0.getEpochSecond() + 10, 1.5));
        assertThat(h.points("reads")).containsExactly(new History.Point(T0.getEpochSecond() + 10, 3.0));
        assertThat(ring.span()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void wrapsAroundKeepingTheNewestCapacityPoints() {
        HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), 3);
        for (int i = 0; i < 5; i++) {
            ring.record(at(10L * i), Map.of("x", (double) i));
        }
        History h = ring.all(at(40));
        assertThat(h.points("x")).extracting(History.Point::value).containsExactly(2.0, 3.0, 4.0);
        assertThat(times(h, "x")).containsExactly(T0.getEpochSecond() + 20, T0.getEpochSecond() + 30,
                T0.getEpochSecond() + 40);
        ring.record(at(50), Map.of("x", 5.0));
        assertThat(ring.all(at(50)).points("x")).extracting(History.Point::value).containsExactly(3.0, 4.0, 5.0);
    }

    @Test
    void readsOnlyTheWindowOfStepTimesCapacity() {
        HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), 6); // one minute
        ring.record(at(0), Map.of("x", 1.0));
        ring.record(at(30), Map.of("x", 2.0));
        assertThat(ring.all(at(59)).points("x")).hasSize(2);
        assertThat(ring.all(at(75)).points("x")).as("the sampler stopped: the old point is no longer recent")
                .extracting(History.Point::value).containsExactly(2.0);
        assertThat(ring.all(at(200)).series()).isEmpty();
    }

    @Test
    void afterReturnsOnlyNewerPoints() {
        HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), 360);
        ring.record(at(0), Map.of("x", 1.0));
        ring.record(at(10), Map.of("x", 2.0));
        ring.record(at(20), Map.of("x", 3.0));
        assertThat(ring.after(at(25), T0.getEpochSecond() + 10).points("x")).extracting(History.Point::value)
                .containsExactly(3.0);
        assertThat(ring.after(at(25), T0.getEpochSecond() + 20).series()).isEmpty();
    }

    @Test
    void aSampleInTheSameSecondReplacesThePreviousOne() {
        HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), 3);
        ring.record(at(0), Map.of("x", 1.0));
        ring.record(at(10), Map.of("x", 2.0));
        ring.record(at(10).plusMillis(300), Map.of("x", 7.0, "y", 1.0));
        History h = ring.all(at(11));
        assertThat(h.points("x")).extracting(History.Point::value).containsExactly(1.0, 7.0);
        assertThat(h.points("y")).hasSize(1);
    }

    @Test
    void leavesOutValuesThatAreNotNumbers() {
        HistoryRing ring = new HistoryRing(Duration.ofSeconds(10), 3);
        Map<String, Double> sample = new HashMap<>();
        sample.put("nan", Double.NaN);
        sample.put("none", null);
        sample.put("inf", Double.POSITIVE_INFINITY);
        sample.put("ok", 0.0);
        ring.record(at(0), sample);
        assertThat(ring.all(at(0)).series()).containsOnlyKeys("ok");
    }

    @Test
    void refusesAStepUnderOneSecondOrNoCapacity() {
        assertThatThrownBy(() -> new HistoryRing(Duration.ofMillis(500), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistoryRing(Duration.ofSeconds(10), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void counterDeltasCountWhatHappenedBetweenTwoReadings() {
        CounterDeltas deltas = new CounterDeltas();
        assertThat(deltas.increase("hits", 4)).as("a counter starts at zero").isEqualTo(4);
        assertThat(deltas.increase("hits", 10)).isEqualTo(6);
        assertThat(deltas.increase("hits", 10)).isZero();
        assertThat(deltas.increase("hits", 3)).as("re-registered: counts from zero").isEqualTo(3);
        assertThat(CounterDeltas.ratio(3, 4)).isEqualTo(0.75);
        assertThat(CounterDeltas.ratio(0, 0)).isNull();
    }
}
