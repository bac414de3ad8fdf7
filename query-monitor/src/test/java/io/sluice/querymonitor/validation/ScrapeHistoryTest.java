package io.sluice.querymonitor.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Counters become increases over the window, gauges means and maxima over the window's scrapes. */
class ScrapeHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void withoutAnEarlierScrapeInTheWindowTheCountersAreSinceTheServiceStarted() {
        ScrapeHistory h = new ScrapeHistory();
        ScrapeHistory.Delta d = h.delta(T0, MINUTE, Map.of("hits", 40.0));
        assertThat(d.since()).isNull();
        assertThat(d.get("hits")).isEqualTo(40.0);
        assertThat(d.span(T0)).startsWith("since the service started");

        h.record(T0.minusSeconds(120), Map.of("hits", 10.0));   // older than the window: not used
        assertThat(h.delta(T0, MINUTE, Map.of("hits", 40.0)).since()).isNull();
    }

    @Test
    void theIncreaseIsCountedFromTheOldestScrapeInsideTheWindow() {
        ScrapeHistory h = new ScrapeHistory();
        h.record(T0.minusSeconds(90), Map.of("hits", 5.0));
        h.record(T0.minusSeconds(50), Map.of("hits", 10.0));
        h.record(T0.minusSeconds(20), Map.of("hits", 30.0));
        ScrapeHistory.Delta d = h.delta(T0, MINUTE, Map.of("hits", 40.0, "new", 3.0));
        assertThat(d.get("hits")).isEqualTo(30.0);
        assertThat(d.get("new")).isEqualTo(3.0);
        assertThat(d.span(T0)).isEqualTo("over the last 50 s");
    }

    @Test
    void aCounterThatWentBackwardsMeansARestartAndCountsFromThere() {
        ScrapeHistory h = new ScrapeHistory();
        h.record(T0.minusSeconds(30), Map.of("hits", 100.0));
        ScrapeHistory.Delta d = h.delta(T0, MINUTE, Map.of("hits", 7.0));
        assertThat(d.restarted()).isTrue();
        assertThat(d.get("hits")).isEqualTo(7.0);
        assertThat(d.span(T0)).contains("restarted");
    }

    @Test
    void gaugesAreAveragedAndMaximisedOverTheWindowsScrapesAndNow() {
        ScrapeHistory h = new ScrapeHistory();
        h.record(T0.minusSeconds(120), Map.of("pool.a", 1.0));  // outside
        h.record(T0.minusSeconds(40), Map.of("pool.a", 0.6));
        h.record(T0.minusSeconds(20), Map.of("pool.a", 0.8));
        Map<String, Double> now = Map.of("pool.a", 0.7);
        assertThat(h.mean(T0, MINUTE, "pool.a", now)).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.max(T0, MINUTE, "pool.a", now)).isEqualTo(0.8);
        assertThat(h.mean(T0, MINUTE, "pool.b", now)).isNaN();
    }

    @Test
    void scrapesCloserThanFiveSecondsAreNotKept() {
        ScrapeHistory h = new ScrapeHistory();
        h.record(T0.minusSeconds(30), Map.of("hits", 1.0));
        h.record(T0.minusSeconds(28), Map.of("hits", 2.0));
        h.record(T0.minusSeconds(20), Map.of("hits", 3.0));
        assertThat(h.mean(T0, MINUTE, "hits", Map.of())).isEqualTo(2.0);   // (1 + 3) / 2
    }
}
