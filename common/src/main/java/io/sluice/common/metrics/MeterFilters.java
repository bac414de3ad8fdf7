package io.sluice.common.metrics;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
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
     * Some framework meters (JVM, process) have double quotes in their descriptions; Prometheus scrapes the
     * escaped HELP line, but the strict parser of {@code promtool check metrics} rejects it. Quotes become single
     * quotes, backslashes slashes.
     */
    @Produces
    @Singleton
    public MeterFilter plainHelpTexts() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String d = id.getDescription();
                if (d == null || (d.indexOf('"') < 0 && d.indexOf('\\') < 0)) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                        d.replace('"', '\'').replace('\\', '/'), id.getType());
            }
        };
    }
}
