package io.sluice.common.tracing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.arc.lookup.LookupUnlessProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Writes each finished span as one JSON line ({@code traceId, spanId, parentSpanId, kind, name, service,
 * attributes}) to {@code sluice.tracing.span-file}, so a test can assert a trace across separately started
 * services without a collector. Quarkus hands spans to the CDI {@code SpanExporter} beans (behind the batch
 * processor outside tests) but then installs no OTLP exporter at all (3.27: {@code OTelExporterRecorder} returns a
 * no-op processor when such a bean is resolvable). So this bean exists for lookups only while the file is set:
 * without it, OTLP export works as configured; with it, spans go to the file instead.
 */
@Singleton
@LookupUnlessProperty(name = "sluice.tracing.span-file", stringValue = "", lookupIfMissing = false)
public class SpanFileExporter implements SpanExporter {

    private static final Logger LOG = Logger.getLogger(SpanFileExporter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final Path file;

    @Inject
    public SpanFileExporter(TracingConfig config) {
        this(config.spanFile());
    }

    public SpanFileExporter(Optional<Path> file) {
        this.file = file.orElse(null);
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (file == null || spans.isEmpty()) {
            return CompletableResultCode.ofSuccess();
        }
        StringBuilder lines = new StringBuilder();
        for (SpanData span : spans) {
            lines.append(line(span)).append('\n');
        }
        try {
            append(lines.toString());
            return CompletableResultCode.ofSuccess();
        } catch (UncheckedIOException | IOException e) {
            LOG.warnf("could not append %d span(s) to %s: %s", spans.size(), file, e.getMessage());
            return CompletableResultCode.ofFailure();
        }
    }

    /** One write per batch, under a lock: lines from concurrent exports never interleave. */
    private synchronized void append(String lines) throws IOException {
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String line(SpanData span) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), value));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("traceId", span.getTraceId());
        json.put("spanId", span.getSpanId());
        json.put("parentSpanId", span.getParentSpanContext().isValid() ? span.getParentSpanId() : null);
        json.put("kind", span.getKind().name());
        json.put("name", span.getName());
        json.put("service", span.getResource().getAttribute(SERVICE_NAME));
        json.put("attributes", attributes);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
