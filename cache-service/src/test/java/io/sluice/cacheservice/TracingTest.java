package io.sluice.cacheservice;

import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * The invalidation a write causes joins the write's trace: replica-router leaves the request's {@code traceparent}
 * on the stream entry, and the consumer's span for that entry is its child.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class TracingTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aStreamEntryIsAppliedInAConsumerSpanOfTheWritesTrace() {
        String t = CacheApi.table();
        var q = query(CacheApi.namespace(), "SELECT v FROM public." + t + " WHERE id = 1").ttl(300);
        q.post();
        assertThat(q.post().header("X-Cache")).isEqualTo("HIT");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String writeSpan = UUID.randomUUID().toString().replace("-", "").substring(0, 16);

        SluiceInfra.get().primary().execute("UPDATE " + t + " SET v = 'traced' WHERE id = 1");
        // As replica-router appends it after a traced write (docs/streams.md).
        String entryId = SluiceInfra.get().redis().command("XADD", "sluice:replicarouter:{invalidations}", "*",
                "tables", t, "lsn", "0/0", "node", "primary", "at", Long.toString(System.currentTimeMillis()),
                "traceparent", "00-" + traceId + "-" + writeSpan + "-01").trim();

        SpanData invalidate = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems()
                .stream().filter(s -> s.getTraceId().equals(traceId)).findFirst().orElse(null), s -> s != null);
        assertThat(invalidate.getName()).isEqualTo("invalidate");
        assertThat(invalidate.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(invalidate.getParentSpanId()).isEqualTo(writeSpan);
        assertThat(invalidate.getParentSpanContext().isRemote()).isTrue();
        assertThat(invalidate.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo(entryId);
        assertThat(invalidate.getAttributes().get(AttributeKey.stringKey("sluice.tables"))).isEqualTo(t);
        // The span ends once the entry is applied: the cached result is gone.
        assertThat(q.post().jsonPath().getString("rows[0].v")).isEqualTo("traced");
    }
}
