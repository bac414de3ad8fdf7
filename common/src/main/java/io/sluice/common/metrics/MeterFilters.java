package io.sluice.common.metrics;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/** Meter filters every service installs (Quarkus applies MeterFilter beans to its registries). */
public class MeterFilters {

    /** Latency buckets for HTTP server requests, so dashboards and alerts can take p95 over the fleet. */
    static final Duration[] HTTP_BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

    @Produces
    @Singleton
    public MeterFilter httpServerBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                double[] slos = new double[HTTP_BUCKETS.length];
                for (int i = 0; i < slos.length; i++) {
                    slos[i] = HTTP_BUCKETS[i].toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(slos).build().merge(config);
            }
        };
    }

    /**
     * Makes every meter pass {@code promtool check metrics} (the deploy issue asks it of the real /q/metrics):
     * see {@link LintCleanIds} for what changes and why.
     */
    @Produces
    @Singleton
    public MeterFilter lintCleanIds() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return LintCleanIds.clean(id);
            }

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return LintCleanIds.denied(id) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }
        };
    }
}
