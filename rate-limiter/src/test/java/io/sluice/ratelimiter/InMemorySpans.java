package io.sluice.ratelimiter;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Tests see every finished span: Quarkus adds each CDI {@code SpanExporter} beside OTLP (which has no endpoint in
 * tests). Spans export as they end ({@code %test.quarkus.otel.simple=true}); tests reset it before they act.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
