package io.sluice.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

class TraceparentsTest {

    private static final SpanContext REQUEST = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

    @Test
    void theCurrentSpanBecomesATraceparentAndBack() {
        String value;
        try (Scope ignored = Context.root().with(Span.wrap(REQUEST)).makeCurrent()) {
            value = Traceparents.current();
        }
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", value);
        SpanContext back = Traceparents.spanContext(value);
        assertEquals(REQUEST.getTraceId(), back.getTraceId());
        assertEquals(REQUEST.getSpanId(), back.getSpanId());
        assertTrue(back.isRemote());
        assertEquals(REQUEST.getSpanId(), Span.fromContext(Traceparents.parent(value)).getSpanContext().getSpanId());
    }

    @Test
    void noSpanMeansNoTraceparent() {
        assertNull(Traceparents.current());
    }

    @Test
    void aMissingOrMalformedValueIsInvalidNotAnError() {
        assertFalse(Traceparents.spanContext(null).isValid());
        assertFalse(Traceparents.spanContext("00-zz-yy-01").isValid());
        assertFalse(Span.fromContext(Traceparents.parent("garbage")).getSpanContext().isValid());
    }
}
