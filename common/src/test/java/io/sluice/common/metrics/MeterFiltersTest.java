package io.sluice.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class MeterFiltersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    MeterFiltersTest() {
        MeterFilters filters = new MeterFilters();
        registry.config().meterFilter(filters.httpServerBuckets()).meterFilter(filters.lintCleanIds());
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
        Gauge silent = Gauge.builder("netty.allocator.memory.pinned", () -> 1).register(registry);
        assertThat(silent.getId().getDescription()).isEqualTo("netty allocator memory pinned");
    }

    @Test
    void vertxClientMetersGetSnakeCaseTagsAndANameAfterTheirClientType() {
        Counter sql = Counter.builder(".completed").tags("clientName", "<default>", "clientType", "sql")
                .register(registry);
        assertThat(sql.getId().getName()).isEqualTo("sql.client.completed");
        assertThat(sql.getId().getTag("client_name")).isEqualTo("<default>");
        assertThat(sql.getId().getTag("clientName")).isNull();
        Counter redis = Counter.builder("redis.completed").tags("clientName", "<default>", "clientType", "redis")
                .register(registry);
        assertThat(redis.getId().getName()).isEqualTo("redis.completed");
        assertThat(redis.getId().getTag("client_type")).isEqualTo("redis");
    }

    @Test
    void metersPromtoolRejectsForTheirNameAreDropped() {
        Gauge.builder("system.cpu.count", () -> 2).register(registry);
        Gauge.builder("system.cpu.usage", () -> 0.5).register(registry);
        assertThat(registry.find("system.cpu.count").meter()).isNull();
        assertThat(registry.find("system.cpu.usage").gauge()).isNotNull();
        LongTaskTimer.builder("http.server.connections").register(registry);
        assertThat(registry.find("http.server.connections").meter()).isNull();
    }

    @Test
    void snakeCaseLeavesSnakeCaseAlone() {
        assertThat(LintCleanIds.snakeCase("clientName")).isEqualTo("client_name");
        assertThat(LintCleanIds.snakeCase("already_snake")).isEqualTo("already_snake");
        assertThat(LintCleanIds.snakeCase("poolURLPath")).isEqualTo("pool_url_path");
    }
}
