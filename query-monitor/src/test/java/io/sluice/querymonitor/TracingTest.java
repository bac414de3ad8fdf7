package io.sluice.querymonitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfraResource;

/**
 * A batch of samples comes from many requests: its one span is a child of the POST and links back to each request
 * that ran a statement in it (the samples' {@code traceparent}), capped.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class TracingTest {

    private static final String REPORTER_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aBatchSpanLinksToTheRequestsOfItsSamples() {
        String first = newId(32);
        String second = newId(32);
        String body = """
                {"samples": [
                  {"sql": "SELECT 1", "duration_ms": 1, "traceparent": "00-%1$s-1111111111111111-01"},
                  {"sql": "SELECT 2", "duration_ms": 1, "traceparent": "00-%1$s-1111111111111111-01"},
                  {"sql": "SELECT 3", "duration_ms": 1, "traceparent": "00-%2$s-2222222222222222-00"},
                  {"sql": "SELECT 4", "duration_ms": 1}
                ]}""".formatted(first, second);
        String batchTrace = newId(32);
        post(batchTrace, body);

        // Found by its links, not by its trace: a batch span outside the POST's trace must fail below, not time out.
        SpanData batch = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("ingest samples")).filter(s -> s.getLinks().stream()
                        .anyMatch(l -> l.getSpanContext().getTraceId().equals(first))).findFirst().orElse(null),
                s -> s != null);
        SpanData server = awaitSpan(batchTrace, null);
        assertThat(batch.getTraceId()).as("the batch span is in the POST's trace").isEqualTo(batchTrace);
        assertThat(batch.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(batch.getLinks()).extracting(l -> l.getSpanContext().getTraceId() + "/"
                + l.getSpanContext().getSpanId()).containsExactly(first + "/1111111111111111",
                        second + "/2222222222222222");
        assertThat(batch.getAttributes().get(AttributeKey.longKey("sluice.samples"))).isEqualTo(4);
        assertThat(batch.getAttributes().get(AttributeKey.longKey("sluice.samples.traced"))).isEqualTo(2);
    }

    @Test
    void linksAreCappedAt32DistinctRequests() {
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add("{\"sql\": \"SELECT 1\", \"duration_ms\": 1, \"traceparent\": \"00-" + newId(32) + "-"
                    + newId(16) + "-01\"}");
        }
        String batchTrace = newId(32);
        post(batchTrace, "{\"samples\": [" + String.join(",", samples) + "]}");

        SpanData batch = awaitSpan(batchTrace, "ingest samples");
        Set<String> linked = batch.getLinks().stream().map(LinkData::getSpanContext)
                .map(c -> c.getTraceId()).collect(Collectors.toSet());
        assertThat(linked).hasSize(32);
        assertThat(batch.getAttributes().get(AttributeKey.longKey("sluice.samples.traced"))).isEqualTo(40);
    }

    private static void post(String traceId, String body) {
        given().contentType("application/json").header("traceparent", "00-" + traceId + "-" + REPORTER_SPAN + "-01")
                .body(body).when().post("/v1/queries/samples").then().statusCode(202);
    }

    /** The span of that trace with that name, or the SERVER span when name is null. */
    private SpanData awaitSpan(String traceId, String name) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId))
                .filter(s -> name == null ? s.getKind() == SpanKind.SERVER : s.getName().equals(name))
                .findFirst().orElse(null), s -> s != null);
    }

    private static String newId(int length) {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, length);
    }
}
