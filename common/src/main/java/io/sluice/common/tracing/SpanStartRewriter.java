package io.sluice.common.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A span processor that rewrites attributes when a span starts, so that no exporter ever sees the original values
 * (a literal in SQL, an API key in a path). Quarkus adds every CDI {@link SpanProcessor} to the tracer provider;
 * only recording (sampled) spans reach it.
 */
public abstract class SpanStartRewriter implements SpanProcessor {

    @Override
    public abstract void onStart(Context parentContext, ReadWriteSpan span);

    @Override
    public final boolean isStartRequired() {
        return true;
    }

    @Override
    public final void onEnd(ReadableSpan span) {
    }

    @Override
    public final boolean isEndRequired() {
        return false;
    }
}
