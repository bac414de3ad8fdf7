package io.sluice.partitionmanager.metrics;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.sluice.partitionmanager.policy.Interval;

/** Partition-manager meters; tags come from closed sets (the interval), never from table names. */
@Startup
@ApplicationScoped
public class PartitionManagerMetrics {

    private final Map<Interval, Counter> plans = new EnumMap<>(Interval.class);

    public PartitionManagerMetrics(MeterRegistry registry) {
        for (Interval interval : Interval.values()) {
            plans.put(interval, Counter.builder("sluice.partitionmanager.plans")
                    .description("Partition plans computed (dry runs)")
                    .tag("interval", interval.name().toLowerCase())
                    .register(registry));
        }
    }

    public void recordPlan(Interval interval) {
        plans.get(interval).increment();
    }
}
