package io.sluice.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfraResource;

/**
 * Real nginx with deploy/nginx/rate-limiter-forward-auth.conf in front of a stub app: requests pass until the
 * key's limit, then nginx answers 429 with Retry-After; the stub never sees a refused request.
 */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RateLimiterNginxTest {

    private static final Path CONF = Path.of("../deploy/nginx/rate-limiter-forward-auth.conf");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private Process nginx;
    private HttpServer app;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    @Test
    void nginxAnswers429AtTheConfiguredRate() throws Exception {
        Path binary = Path.of("/usr/sbin/nginx");
        Assumptions.assumeTrue(Files.isExecutable(binary), "nginx is not installed (apt-get install nginx-light)");
        var served = new java.util.concurrent.atomic.AtomicInteger();
        app = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] body = "app".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        int listen;
        try (var socket = new java.net.ServerSocket(0)) {
            listen = socket.getLocalPort();
        }
        Path prefix = Files.createTempDirectory("sluice-nginx");
        String conf = Files.readString(CONF)
                .replace("@PREFIX@", prefix.toString())
                .replace("@RATE_LIMITER@", "127.0.0.1:" + port)
                .replace("@APP@", "127.0.0.1:" + app.getAddress().getPort())
                .replace("@LISTEN@", "127.0.0.1:" + listen);
        Path confFile = prefix.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        nginx = new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        String base = "http://127.0.0.1:" + listen + "/orders";
        await().atMost(Duration.ofSeconds(10)).until(() -> status(base, null) == 401);

        String key = Api.newKey();
        Api.assign(key, "free", "{\"minute\": null, \"day\": {\"limit\": 4, \"window\": 86400}}");
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> ok = get(base, key);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("app");
            assertThat(ok.headers().firstValue("RateLimit").orElse("")).startsWith("\"day\";r=" + (3 - i) + ";t=");
        }
        HttpResponse<String> limited = get(base, key);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(limited.body()).contains("quota-exceeded");
        assertThat(served.get()).isEqualTo(4);
    }

    private static int status(String url, String key) {
        try {
            return get(url, key).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static HttpResponse<String> get(String url, String key) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
