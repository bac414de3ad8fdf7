package io.sluice.ratelimiter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.ratelimiter.gcra.RedisKeys;
import io.sluice.testing.SluiceInfraResource;

/**
 * An API key is a credential: it appears in no span name or attribute, whichever way it arrives (JSON body,
 * X-Api-Key, Authorization: Bearer, the operator API's path). Each request carries its own trace id and every span
 * of that trace is checked, including the Redis spans of the decision.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class TracingTest {

    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theCheckBodysKeyIsInNoSpan() {
        assertKeyInNoSpan((key, trace) -> given().header("traceparent", trace).contentType("application/json")
                .body("{\"key\": \"" + key + "\"}").when().post("/v1/ratelimit/check"), "/v1/ratelimit/check");
    }

    @Test
    void theForwardAuthHeadersKeyIsInNoSpan() {
        assertKeyInNoSpan((key, trace) -> given().header("traceparent", trace).header("X-Api-Key", key)
                .when().get("/v1/ratelimit/forward-auth"), "/v1/ratelimit/forward-auth");
        assertKeyInNoSpan((key, trace) -> given().header("traceparent", trace).header("Authorization", "Bearer " + key)
                .when().get("/v1/ratelimit/forward-auth"), "/v1/ratelimit/forward-auth");
    }

    @Test
    void theOperatorApisPathKeyIsInNoSpanButItsHashIs() {
        String key = newKey();
        SpanData server = assertKeyInNoSpan(key, (k, trace) -> Api.admin().header("traceparent", trace)
                .when().get("/v1/ratelimit/keys/" + k), "/v1/ratelimit/keys/{key}");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/v1/ratelimit/keys/{key}");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("sluice.key_hash"))).isEqualTo(RedisKeys.hash(key));
    }

    /** @return the request's SERVER span */
    private SpanData assertKeyInNoSpan(BiFunction<String, String, Response> request, String route) {
        return assertKeyInNoSpan(newKey(), request, route);
    }

    private SpanData assertKeyInNoSpan(String key, BiFunction<String, String, Response> request, String route) {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        assertThat(request.apply(key, "00-" + traceId + "-" + CALLER_SPAN + "-01").statusCode()).isEqualTo(200);

        SpanData server = await().atMost(Duration.ofSeconds(5)).until(() -> trace(traceId).stream()
                .filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElse(null), s -> s != null);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo(route);
        // The decision reads and writes Redis inside the request: its spans are part of the trace.
        await().atMost(Duration.ofSeconds(5)).until(() -> trace(traceId).stream()
                .anyMatch(s -> "redis".equals(s.getAttributes().get(DB_SYSTEM))));
        List<SpanData> all = trace(traceId);
        for (SpanData s : all) {
            assertThat(s.getName()).doesNotContain(key);
            s.getAttributes().forEach((k, v) -> assertThat(String.valueOf(v)).as("%s of %s", k, s.getName())
                    .doesNotContain(key));
            s.getEvents().forEach(e -> e.getAttributes().forEach((k, v) -> assertThat(String.valueOf(v))
                    .as("event %s of %s", k, s.getName()).doesNotContain(key)));
        }
        return server;
    }

    /** Recognisable, and long enough not to occur by chance in any attribute. */
    private static String newKey() {
        return "sk-live-" + UUID.randomUUID();
    }

    private List<SpanData> trace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }
}
