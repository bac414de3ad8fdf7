package io.sluice.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** The real SDK exports through the file exporter; the lines are read back as JSON. */
class SpanFileExporterTest {

    @TempDir
    Path dir;

    @Test
    void eachSpanIsOneJsonLineWithItsParentKindServiceAndAttributes() throws Exception {
        Path file = dir.resolve("spans.jsonl");
        try (SdkTracerProvider provider = provider(new SpanFileExporter(Optional.of(file)))) {
            Tracer tracer = provider.get("test");
            Span server = tracer.spanBuilder("GET /x").setSpanKind(SpanKind.SERVER).startSpan();
            try (Scope ignored = server.makeCurrent()) {
                tracer.spanBuilder("SELECT t").setSpanKind(SpanKind.CLIENT).setAttribute("db.system", "postgres")
                        .setAttribute(AttributeKey.longKey("rows"), 3L).startSpan().end();
            }
            server.end();

            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2);
            ObjectMapper json = new ObjectMapper();
            JsonNode child = json.readTree(lines.get(0));
            JsonNode parent = json.readTree(lines.get(1));
            assertThat(child.get("traceId").asText()).isEqualTo(server.getSpanContext().getTraceId());
            assertThat(child.get("parentSpanId").asText()).isEqualTo(server.getSpanContext().getSpanId());
            assertThat(child.get("kind").asText()).isEqualTo("CLIENT");
            assertThat(child.get("name").asText()).isEqualTo("SELECT t");
            assertThat(child.get("service").asText()).isEqualTo("svc-a");
            assertThat(child.get("attributes").get("db.system").asText()).isEqualTo("postgres");
            assertThat(child.get("attributes").get("rows").asLong()).isEqualTo(3);
            assertThat(parent.get("spanId").asText()).isEqualTo(server.getSpanContext().getSpanId());
            assertThat(parent.get("parentSpanId").isNull()).isTrue();
            assertThat(parent.get("kind").asText()).isEqualTo("SERVER");
        }
    }

    @Test
    void laterExportsAppendAndAProviderRestartKeepsEarlierLines() throws Exception {
        Path file = dir.resolve("spans.jsonl");
        for (int i = 0; i < 2; i++) {
            try (SdkTracerProvider provider = provider(new SpanFileExporter(Optional.of(file)))) {
                provider.get("test").spanBuilder("span-" + i).startSpan().end();
                provider.get("test").spanBuilder("other-" + i).startSpan().end();
            }
        }
        assertThat(Files.readAllLines(file)).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("{\"traceId\""))
                .anySatisfy(l -> assertThat(l).contains("\"name\":\"span-0\""))
                .anySatisfy(l -> assertThat(l).contains("\"name\":\"other-1\""));
    }

    private static SdkTracerProvider provider(SpanFileExporter exporter) {
        return SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc-a")))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }
}
