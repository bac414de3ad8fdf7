package io.sluice.replicarouter.bulk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Bulk meters. Chunk and row outcomes: committed, failed (PostgreSQL rejected the chunk, or its node could not be
 * reached), rolled_back (the other chunks of an atomic request that failed: none was written), read. Requests refused
 * over max-concurrent-requests are counted apart.
 */
@ApplicationScoped
public class BulkMetrics {

    static final String COMMITTED = "committed";
    static final String FAILED = "failed";
    static final String ROLLED_BACK = "rolled_back";
    static final String READ = "read";

    private final Map<String, Counter> rows = new ConcurrentHashMap<>();
    private final Map<String, Counter> chunks = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Counter refused;

    public BulkMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refused = Counter.builder("sluice.replicarouter.bulk.refused")
                .description("Bulk requests refused with 429 because max-concurrent-requests were running")
                .register(registry);
        for (String outcome : new String[] { COMMITTED, FAILED, ROLLED_BACK, READ }) {
            counters(outcome, 0, 0);
        }
    }

    /** What became of a chunk, once the request knows (an atomic chunk is only committed with the rest). */
    void chunk(String outcome, int rowCount) {
        counters(outcome, rowCount, 1);
    }

    /** How long PostgreSQL took to run a chunk's batch; {@code ok} false when it rejected it. */
    void ran(boolean ok, long nanos) {
        durations.computeIfAbsent(ok ? "ok" : "error", o -> Timer.builder("sluice.replicarouter.bulk.chunk.duration")
                .description("Time to run one bulk chunk's batch, by result (ok, error)").tag("result", o)
                .publishPercentileHistogram().register(registry)).record(java.time.Duration.ofNanos(nanos));
    }

    void refused() {
        refused.increment();
    }

    private void counters(String outcome, int rowCount, int chunkCount) {
        rows.computeIfAbsent(outcome, o -> Counter.builder("sluice.replicarouter.bulk.rows")
                .description("Bulk parameter rows, by outcome").tag("outcome", o).register(registry))
                .increment(rowCount);
        chunks.computeIfAbsent(outcome, o -> Counter.builder("sluice.replicarouter.bulk.chunks")
                .description("Bulk chunks, by outcome").tag("outcome", o).register(registry))
                .increment(chunkCount);
    }
}
