package io.sluice.cacheservice.invalidation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.metrics.CacheMetrics;
import io.sluice.common.tracing.Traceparents;
import io.smallrye.mutiny.Uni;

/**
 * Applies a batch of parsed write-stream entries ({@link WriteStreamEntry}): raises the written LSN to the
 * newest entry's, invalidates the tags of their tables, records the invalidation lag and, only then, lets the
 * caller acknowledge them. An entry that carries the write's {@code traceparent} gets an {@code invalidate}
 * CONSUMER span in that trace, ended once the batch is acknowledged (or failed). Knows nothing of consumer groups:
 * {@link WriteStreamConsumer} reads, claims and acknowledges.
 */
@ApplicationScoped
public class WriteStreamApplier {

    private final InvalidationService invalidation;
    private final WrittenLsn writtenLsn;
    private final CacheMetrics metrics;
    private final CacheServiceConfig config;
    private final Clock clock;
    private final Tracer tracer;

    public WriteStreamApplier(InvalidationService invalidation, WrittenLsn writtenLsn, CacheMetrics metrics,
            CacheServiceConfig config, Clock clock, Tracer tracer) {
        this.invalidation = invalidation;
        this.writtenLsn = writtenLsn;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.tracer = tracer;
    }

    /** Applies {@code entries}, then {@code acknowledge}s them; the number of entries once acknowledged. */
    public Uni<Integer> apply(List<WriteStreamEntry> entries, Supplier<Uni<?>> acknowledge) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Set<String> tags = new LinkedHashSet<>();
        long newestLsn = 0;
        for (WriteStreamEntry e : entries) {
            newestLsn = Math.max(newestLsn, e.lsn());
            tags.addAll(e.tags());
        }
        List<Span> spans = startSpans(entries);
        // The LSN first: a load that starts after the tags change must already be asked to see the write.
        return writtenLsn.raise(newestLsn)
                .chain(() -> invalidation.invalidateTags(tags, "stream"))
                .invoke(() -> {
                    long now = clock.millis();
                    entries.stream().filter(e -> e.touchesTables() && e.at() > 0).forEach(e -> metrics
                            .recordInvalidationLag(Duration.ofMillis(now - e.at())));
                })
                .chain(acknowledge)
                .map(acked -> entries.size())
                .onTermination().invoke((n, failure, cancelled) -> spans.forEach(span -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
                    }
                    span.end();
                }));
    }

    /**
     * One span per entry that names its write's trace (parent-based sampling keeps the write's decision); entries
     * without one (older routers, tracing off there) start no trace of their own.
     */
    private List<Span> startSpans(List<WriteStreamEntry> entries) {
        List<Span> spans = new ArrayList<>();
        for (WriteStreamEntry e : entries) {
            if (!Traceparents.spanContext(e.traceparent()).isValid()) {
                continue;
            }
            spans.add(tracer.spanBuilder("invalidate").setSpanKind(SpanKind.CONSUMER)
                    .setParent(Traceparents.parent(e.traceparent()))
                    .setAttribute("messaging.system", "redis")
                    .setAttribute("messaging.destination.name", config.invalidation().stream())
                    .setAttribute("messaging.message.id", e.id())
                    .setAttribute("sluice.tables", String.valueOf(e.tables()))
                    .startSpan());
        }
        return spans;
    }
}
