package io.sluice.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class MeterFiltersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    MeterFiltersTest() {
        MeterFilters filters = new MeterFilters();
        registry.config().meterFilter(filters.httpServerBuckets()).meterFilter(filters.plainHelpTexts());
    }

    @Test
    void httpServerRequestsGetLatencyBucketsAndOtherTimersDoNot() {
        Timer http = Timer.builder("http.server.requests").tag("uri", "/sql").register(registry);
        http.record(Duration.ofMillis(30));
        http.record(Duration.ofMillis(700));
        var buckets = http.takeSnapshot().histogramCounts();
        assertThat(buckets).hasSize(MeterFilters.HTTP_BUCKETS.length);
        assertThat(Arrays.stream(buckets).filter(b -> b.bucket() == Duration.ofMillis(50).toNanos())
                .findFirst().orElseThrow().count()).isEqualTo(1.0);
        assertThat(Arrays.stream(buckets).filter(b -> b.bucket() == Duration.ofSeconds(1).toNanos())
                .findFirst().orElseThrow().count()).isEqualTo(2.0);

        Timer other = Timer.builder("sluice.other").register(registry);
        other.record(Duration.ofMillis(30));
        assertThat(other.takeSnapshot().histogramCounts()).isEmpty();
    }

    @Test
    void descriptionsLoseDoubleQuotesAndBackslashes() {
        Gauge quoted = Gauge.builder("process.cpu.usage", () -> 1).description("The \"recent cpu usage\" of C:\\x")
                .register(registry);
        assertThat(quoted.getId().getDescription()).isEqualTo("The 'recent cpu usage' of C:/x");
        Gauge plain = Gauge.builder("sluice.plain", () -> 1).description("plain text").register(registry);
        assertThat(plain.getId().getDescription()).isEqualTo("plain text");
    }
}
