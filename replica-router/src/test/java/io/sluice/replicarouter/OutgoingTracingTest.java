package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfraResource;

/** A WebClient call made while serving a traced request gets a client span and carries the W3C traceparent. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class OutgoingTracingTest {

    private static final List<String> TRACEPARENTS = new CopyOnWriteArrayList<>();
    private static HttpServer downstream;

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void startDownstream() throws IOException {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/", exchange -> {
            TRACEPARENTS.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        downstream.start();
    }

    @AfterAll
    static void stopDownstream() {
        downstream.stop(0);
    }

    @Test
    void theOutgoingCallIsAChildSpanAndCarriesTraceparent() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        given().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .queryParam("url", "http://127.0.0.1:" + downstream.getAddress().getPort() + "/x")
                .when().get("/test-only/call").then().statusCode(200);

        SpanData client = await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CLIENT).findFirst()
                .orElse(null), s -> s != null);
        assertThat(TRACEPARENTS).contains("00-" + traceId + "-" + client.getSpanId() + "-01");
    }
}
