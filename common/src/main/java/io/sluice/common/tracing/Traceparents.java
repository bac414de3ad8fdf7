package io.sluice.common.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * W3C {@code traceparent} values for work that leaves a request asynchronously (a stream entry, a batched report),
 * so the consumer's span can point back at the request that caused it. HTTP calls need none of this: Quarkus
 * injects and extracts the header itself.
 */
public final class Traceparents {

    /** The field name used in stream entries and report samples, as in the HTTP header. */
    public static final String FIELD = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(FIELD);
        }

        @Override
        public String get(String carrier, String key) {
            return FIELD.equals(key) ? carrier : null;
        }
    };

    private Traceparents() {
    }

    /** The current span's traceparent, or null when there is no valid span (tracing off, no request). */
    public static String current() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.current(), carrier, Map::put);
        return carrier.get(FIELD);
    }

    /** The span context a traceparent names; invalid (never null) when the value is missing or malformed. */
    public static SpanContext spanContext(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return SpanContext.getInvalid();
        }
        return Span.fromContext(W3C.extract(Context.root(), traceparent, VALUE)).getSpanContext();
    }

    /** A parent context for one consumer span per entry: the consumer joins the producer's trace. */
    public static Context parent(String traceparent) {
        SpanContext remote = spanContext(traceparent);
        return remote.isValid() ? Context.root().with(Span.wrap(remote)) : Context.root();
    }

    /** Links a span (e.g. one handling a batch from many requests) to the request a traceparent names. */
    public static SpanBuilder link(SpanBuilder span, String traceparent) {
        SpanContext remote = spanContext(traceparent);
        return remote.isValid() ? span.addLink(remote) : span;
    }
}
