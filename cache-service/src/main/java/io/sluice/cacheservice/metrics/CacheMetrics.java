package io.sluice.cacheservice.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/** Cache meters, tagged by outcome only: namespaces and keys are client-chosen, so never tags. */
@Startup
@ApplicationScoped
public class CacheMetrics {

    private final Counter hits;
    private final Counter misses;
    private final Counter writes;

    public CacheMetrics(MeterRegistry registry) {
        this.hits = lookups(registry, "hit");
        this.misses = lookups(registry, "miss");
        this.writes = Counter.builder("sluice.cacheservice.writes").description("Entries written")
                .register(registry);
    }

    public void recordLookup(boolean hit) {
        (hit ? hits : misses).increment();
    }

    public void recordWrite() {
        writes.increment();
    }

    private static Counter lookups(MeterRegistry registry, String outcome) {
        return Counter.builder("sluice.cacheservice.lookups").description("Cache lookups by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
