package io.sluice.cacheservice;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/** A packaged Quarkus service started as a real process for integration tests (cache-service, or the router). */
final class ServiceProcess {

    static final Path CACHE_JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Path ROUTER_JAR = Path.of("../replica-router/target/quarkus-app/quarkus-run.jar");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path jar;
    private final List<String> properties;
    private final String name;
    private Process process;
    private int port;
    private Path log;

    ServiceProcess(String name, Path jar, List<String> properties) {
        this.name = name;
        this.jar = jar;
        this.properties = properties;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    ServiceProcess start() throws IOException {
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        log = Files.createTempFile(name, ".log");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.log.console.json.enabled=false"));
        properties.forEach(p -> cmd.add("-D" + p));
        cmd.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> status(url() + "/q/health/ready") == 200);
        return this;
    }

    void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
