package io.sluice.querymonitor.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = """
            # HELP sluice_cacheservice_lookups_total Cache lookups by outcome
            # TYPE sluice_cacheservice_lookups_total counter
            sluice_cacheservice_lookups_total{outcome="hit"} 30.0
            sluice_cacheservice_lookups_total{outcome="miss"} 10.0
            sluice_cacheservice_odd{a="x\\"y,z}",b="2"} 1.5 1700000000000
            jvm_threads_live_threads 42.0
            sluice_broken{a="unterminated 3
            sluice_partitionmanager_set_runway{set="public.a"} 4.0
            sluice_partitionmanager_set_runway{set="public.b"} 1.0
            """;

    @Test
    void keepsOnlyThePrefixAndReadsLabelsWithEscapes() {
        var samples = PrometheusText.parse(TEXT, "sluice_cacheservice_");
        assertThat(samples).hasSize(3);
        assertThat(samples.get(2).labels()).isEqualTo(Map.of("a", "x\"y,z}", "b", "2"));
        assertThat(samples.get(2).value()).isEqualTo(1.5);
        assertThat(PrometheusText.sum(samples, "sluice_cacheservice_lookups_total", l -> true)).isEqualTo(40.0);
        assertThat(PrometheusText.sum(samples, "sluice_cacheservice_lookups_total", l -> "hit".equals(l.get("outcome"))))
                .isEqualTo(30.0);
    }

    @Test
    void skipsBrokenLinesAndFindsTheSmallestRunway() {
        assertThat(PrometheusText.parse(TEXT, "sluice_broken")).isEmpty();
        var runway = PrometheusText.parse(TEXT, "sluice_partitionmanager_");
        assertThat(PrometheusText.min(runway, "sluice_partitionmanager_set_runway")).hasValue(1.0);
        assertThat(PrometheusText.max(runway, "sluice_nothing")).isEmpty();
    }
}
