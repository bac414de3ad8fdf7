package io.sluice.querymonitor.console;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for rate-limiter's operator read endpoint, behind the console: a real HTTP server that applies the
 * services' rule (only {@code Authorization: Bearer <admin token>} may read; otherwise 401 problem+json) and
 * records the Authorization header of every request it gets, so a test sees exactly what the proxy sent.
 */
public class OperatorServiceResource implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "console-test-token";
    /** The Authorization header of each request received ("-" when there was none), in order. */
    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::answer);
        server.start();
        return Map.of("query-monitor.console.services.rate-limiter",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        RECEIVED.add(authorization == null ? "-" : authorization);
        boolean admin = ("Bearer " + TOKEN).equals(authorization);
        String body = admin ? "{\"offenders\":[]}"
                : "{\"type\":\"https://sluice.dev/problems/unauthorized\",\"status\":401,\"title\":\"Unauthorized\"}";
        exchange.getResponseHeaders().add("Content-Type", admin ? "application/json" : "application/problem+json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(admin ? 200 : 401, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
