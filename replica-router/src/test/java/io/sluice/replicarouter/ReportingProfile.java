package io.sluice.replicarouter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The router reporting to a capture endpoint that speaks query-monitor's POST /v1/queries/samples contract (the
 * real query-monitor is exercised in the end-to-end suite; this test checks what the router sends).
 */
public class ReportingProfile implements QuarkusTestProfile {

    /** Bodies received, in order. */
    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SamplesReceiver.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("replica-router.reporting.flush-interval", "200ms");
    }

    /** A real HTTP server on a free loopback port that answers 202 like query-monitor. */
    public static class SamplesReceiver implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/v1/queries/samples", exchange -> {
                RECEIVED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            });
            server.start();
            return Map.of("replica-router.reporting.query-monitor-url",
                    "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }
}
