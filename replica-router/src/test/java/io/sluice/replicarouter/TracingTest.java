package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.common.tracing.SqlSpanSanitizer;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * One traced request through the router: the HTTP server span, its PostgreSQL spans (normalized SQL and the
 * fingerprint query-monitor uses, never a value), its Redis XADD, and the trace it leaves on the invalidation stream.
 * Each request carries its own trace id, so spans of other requests (other tests, probes) never get in the way.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class TracingTest {

    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    private static final AttributeKey<String> DB_STATEMENT = AttributeKey.stringKey("db.statement");
    private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Inject
    OpenTelemetry openTelemetry;

    @Test
    void theSamplerComesFromCommonsDefaults() {
        // quarkus.otel.traces.sampler is a build-time key set only in common's microprofile-config.properties.
        var sampler = ((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().getSampler();
        assertThat(sampler.getDescription()).startsWith("ParentBased{root:TraceIdRatioBased{1.000000}");
    }

    @Test
    void withNoEndpointTheOtlpEndpointResolvesBlank() {
        // Quarkus builds a no-op OTLP exporter only for a blank endpoint; an empty one means http://localhost:4317
        // (a connection attempt and a warning per batch). Guards the "${SLUICE_OTLP_ENDPOINT: }" default in common.
        String endpoint = ConfigProvider.getConfig().getConfigValue("quarkus.otel.exporter.otlp.traces.endpoint")
                .getValue();
        assertThat(endpoint).isNotNull().isBlank();
    }

    @Test
    void anIncomingTraceparentIsContinuedByTheServerSpan() {
        String traceId = newTraceId();
        traced(traceId, "{\"query\": \"SELECT 1\"}").post("/sql").then().statusCode(200);
        SpanData server = awaitServerSpan(traceId);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(server.getAttributes().get(HTTP_ROUTE)).isEqualTo("/sql");
    }

    @Test
    void aStatementIsAPostgresChildSpanWithNormalizedSqlAndFingerprintOnly() {
        String secret = "secret-" + UUID.randomUUID();
        String sql = "SELECT length($1) + 1 AS n, 'literal-" + secret + "' AS s WHERE 2 IN (1, 2, 3)";
        String traceId = newTraceId();
        traced(traceId, "{\"query\": \"" + sql + "\", \"params\": [\"" + secret + "\"]}").post("/sql")
                .then().statusCode(200);

        SpanData server = awaitServerSpan(traceId);
        // The router describes parameter types first (PREPARE ... pg_prepared_statements), then runs the statement.
        SpanData pg = await().atMost(Duration.ofSeconds(5)).until(() -> trace(traceId).stream()
                .filter(s -> SqlNormalizer.normalize(sql).equals(s.getAttributes().get(DB_STATEMENT)))
                .findFirst().orElse(null), s -> s != null);
        assertThat(pg.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(pg.getAttributes().get(DB_SYSTEM)).isEqualTo("postgres");
        assertThat(pg.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(pg.getAttributes().get(SqlSpanSanitizer.FINGERPRINT)).isEqualTo(SqlNormalizer.fingerprint(sql));
        assertNoSpanCarries(traceId, secret);
    }

    @Test
    void aWriteLeavesItsTraceparentOnTheInvalidationStream() {
        String table = "trace_" + UUID.randomUUID().toString().replace("-", "");
        String secret = "secret-" + UUID.randomUUID();
        given().contentType("application/json").body("{\"query\": \"CREATE TABLE " + table + " (v text)\"}")
                .when().post("/sql").then().statusCode(200);
        String traceId = newTraceId();
        traced(traceId, "{\"query\": \"INSERT INTO " + table + " VALUES ($1)\", \"params\": [\"" + secret + "\"]}")
                .post("/sql").then().statusCode(200);

        SpanData server = awaitServerSpan(traceId);
        String entry = SluiceInfra.get().redis().command("XREVRANGE", "sluice:replicarouter:{invalidations}", "+", "-",
                "COUNT", "1");
        assertThat(entry).contains("tables\n" + table + "\n")
                .contains("traceparent\n00-" + traceId + "-" + server.getSpanId() + "-01");
        SpanData xadd = await().atMost(Duration.ofSeconds(5)).until(() -> trace(traceId).stream()
                .filter(s -> "redis".equals(s.getAttributes().get(DB_SYSTEM))).findFirst().orElse(null),
                s -> s != null);
        assertThat(xadd.getParentSpanId()).isEqualTo(server.getSpanId());
        assertNoSpanCarries(traceId, secret);
    }

    private static RequestSpecification traced(String traceId, String body) {
        return given().contentType("application/json").header("traceparent", "00-" + traceId + "-" + CALLER_SPAN + "-01")
                .body(body).when();
    }

    private SpanData awaitServerSpan(String traceId) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> trace(traceId).stream()
                .filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElse(null), s -> s != null);
    }

    private List<SpanData> trace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private void assertNoSpanCarries(String traceId, String secret) {
        List<SpanData> all = trace(traceId);
        assertThat(all).hasSizeGreaterThan(1);
        for (SpanData s : all) {
            assertThat(s.getName()).doesNotContain(secret);
            s.getAttributes().forEach((k, v) -> assertThat(String.valueOf(v)).as("%s of %s", k, s.getName())
                    .doesNotContain(secret));
        }
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
