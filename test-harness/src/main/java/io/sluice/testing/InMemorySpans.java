package io.sluice.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Tests see every finished span: Quarkus adds each CDI {@code SpanExporter} beside OTLP (which has no endpoint in
 * tests). A bean in every service's {@code @QuarkusTest} (the harness jar carries a Jandex index); a test injects
 * the {@link InMemorySpanExporter} and resets it before it acts. Services whose tests read spans set
 * {@code %test.quarkus.otel.simple=true} so that spans export as they end.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
