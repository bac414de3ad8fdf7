package io.sluice.system;

import static io.sluice.system.Http.obj;
import static io.sluice.system.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.sql.SqlNormalizer;

/**
 * One request of an app, as a gateway would send it with one W3C {@code traceparent}: the rate-limit check
 * (rate-limiter), then a cached read that misses (cache-service → replica-router → PostgreSQL). The spans every
 * service exported to its file form one tree, and neither the API key nor the statement's parameter value appears
 * in any span.
 */
@Order(2)
class TraceAcrossServicesIT {

    private static final String GATEWAY_SPAN = "00f067aa0ba902b7";
    private static final String SQL = "SELECT id, name FROM church WHERE name = $1";

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void oneRequestIsOneSpanTreeAcrossTheServicesAndCarriesNoSecret() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-" + GATEWAY_SPAN + "-01";
        String apiKey = "sk-live-" + UUID.randomUUID();
        String secret = "secret-church-" + UUID.randomUUID();

        var check = post(suite.limiter.url() + "/v1/ratelimit/check", obj("key", apiKey), "traceparent", traceparent);
        assertThat(check.status()).as(check.toString()).isEqualTo(200);
        var read = post(suite.cache.url() + "/v1/cache/query", obj("namespace", "trace-" + UUID.randomUUID(),
                "sql", SQL, "params", List.of(secret), "ttl_s", 60), "traceparent", traceparent);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.header("X-Cache")).isEqualTo("MISS");

        String fingerprint = SqlNormalizer.fingerprint(SQL);
        List<JsonNode> trace = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> spansOf(traceId), spans -> spans.stream().anyMatch(s -> "replica-router".equals(
                        s.path("service").asText()) && fingerprint.equals(attr(s, "sluice.fingerprint"))));

        JsonNode limiterServer = one(trace, "rate-limiter", "SERVER", s -> true);
        assertThat(limiterServer.path("parentSpanId").asText()).isEqualTo(GATEWAY_SPAN);
        assertThat(attr(limiterServer, "http.route")).isEqualTo("/v1/ratelimit/check");

        JsonNode cacheServer = one(trace, "cache-service", "SERVER", s -> true);
        assertThat(cacheServer.path("parentSpanId").asText()).isEqualTo(GATEWAY_SPAN);
        JsonNode cacheClient = one(trace, "cache-service", "CLIENT", s -> attr(s, "db.system") == null);
        assertThat(ancestors(trace, cacheClient)).contains(cacheServer.path("spanId").asText());

        JsonNode routerServer = one(trace, "replica-router", "SERVER", s -> true);
        assertThat(routerServer.path("parentSpanId").asText()).as("the router continues cache-service's call")
                .isEqualTo(cacheClient.path("spanId").asText());
        assertThat(attr(routerServer, "http.route")).isEqualTo("/sql");

        JsonNode statement = one(trace, "replica-router", "CLIENT",
                s -> fingerprint.equals(attr(s, "sluice.fingerprint")));
        assertThat(ancestors(trace, statement)).contains(routerServer.path("spanId").asText());
        assertThat(attr(statement, "db.system")).isEqualTo("postgres");
        assertThat(attr(statement, "db.statement")).isEqualTo(SqlNormalizer.normalize(SQL));

        assertThat(trace).as("spans of the trace").hasSizeGreaterThanOrEqualTo(5);
        for (JsonNode span : trace) {
            assertThat(span.path("name").asText()).doesNotContain(apiKey).doesNotContain(secret);
            span.path("attributes").fields().forEachRemaining(a -> assertThat(a.getValue().toString())
                    .as("%s of %s in %s", a.getKey(), span.path("name").asText(), span.path("service").asText())
                    .doesNotContain(apiKey).doesNotContain(secret));
        }
    }

    /** The single span of that service and kind matching the filter. */
    private static JsonNode one(List<JsonNode> trace, String service, String kind, Predicate<JsonNode> filter) {
        List<JsonNode> found = trace.stream().filter(s -> service.equals(s.path("service").asText()))
                .filter(s -> kind.equals(s.path("kind").asText())).filter(filter).toList();
        assertThat(found).as("%s %s span in %s", service, kind, names(trace)).hasSize(1);
        return found.get(0);
    }

    /** Span ids from the span's parent up to the root, within the trace. */
    private static List<String> ancestors(List<JsonNode> trace, JsonNode span) {
        Map<String, JsonNode> byId = trace.stream().collect(Collectors.toMap(s -> s.path("spanId").asText(), s -> s,
                (a, b) -> a));
        List<String> up = new ArrayList<>();
        JsonNode current = span;
        while (current != null && current.hasNonNull("parentSpanId") && up.size() < 50) {
            String parent = current.path("parentSpanId").asText();
            up.add(parent);
            current = byId.get(parent);
        }
        return up;
    }

    private static String attr(JsonNode span, String name) {
        JsonNode v = span.path("attributes").get(name);
        return v == null ? null : v.asText();
    }

    private static List<String> names(List<JsonNode> trace) {
        return trace.stream().map(s -> s.path("service").asText() + ":" + s.path("kind").asText() + ":"
                + s.path("name").asText()).toList();
    }

    /** Every span of the trace in the services' files; a line being written (incomplete) is skipped. */
    private static List<JsonNode> spansOf(String traceId) {
        List<JsonNode> spans = new ArrayList<>();
        try (Stream<Path> files = Files.list(suite.spans)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.contains(traceId)) {
                        continue;
                    }
                    try {
                        JsonNode span = Http.JSON.readTree(line);
                        if (traceId.equals(span.path("traceId").asText())) {
                            spans.add(span);
                        }
                    } catch (IOException partial) {
                        // the exporter is appending this line right now
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spans;
    }
}
