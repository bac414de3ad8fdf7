package io.sluice.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.common.sql.SqlNormalizer;

/** What an exporter receives once the sanitizer has seen a span: the real SDK, processors in Quarkus's order. */
class SqlSpanSanitizerTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(new SqlSpanSanitizer())
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    private final Tracer tracer = provider.get("test");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aPostgresStatementIsExportedNormalizedWithItsFingerprint() {
        String sql = "SELECT * FROM users WHERE email = 'ann@example.com' AND id = $1";
        tracer.spanBuilder("SELECT users").setAttribute("db.system", "postgres").setAttribute("db.statement", sql)
                .startSpan().end();
        SpanData span = only();
        assertEquals("select * from users where email = ? and id = ?", attribute(span, "db.statement"));
        assertEquals(SqlNormalizer.fingerprint(sql), span.getAttributes().get(SqlSpanSanitizer.FINGERPRINT));
    }

    @Test
    void theStableConventionNamesAreRewrittenToo() {
        tracer.spanBuilder("q").setAttribute("db.system", "postgresql").setAttribute("db.query.text", "SELECT 42")
                .startSpan().end();
        assertEquals("select ?", attribute(only(), "db.query.text"));
    }

    @Test
    void otherSpansAreLeftAlone() {
        tracer.spanBuilder("get").setAttribute("db.system", "redis").setAttribute("db.statement", "GET k")
                .startSpan().end();
        SpanData span = only();
        assertEquals("GET k", attribute(span, "db.statement"));
        assertNull(span.getAttributes().get(SqlSpanSanitizer.FINGERPRINT));
    }

    private SpanData only() {
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertEquals(1, spans.size());
        return spans.get(0);
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }
}
