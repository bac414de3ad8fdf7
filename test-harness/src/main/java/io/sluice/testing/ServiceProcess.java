package io.sluice.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Sluice service run as its packaged jar ({@code <module>/target/quarkus-app/quarkus-run.jar}) in its own JVM,
 * on a free port, configured by system properties, as end-to-end and multi-instance tests need. The process is
 * stopped at JVM exit if a test forgets to.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> properties;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final int port;
    private final Path log;
    private Process process;

    private ServiceProcess(String name, Path jar, Map<String, String> properties) {
        this.name = name;
        this.jar = jar;
        this.properties = properties;
        this.port = FreePorts.next();
        try {
            this.log = Files.createTempFile("sluice-" + name + "-", ".log");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param module the service's Maven module directory, relative to the working directory (e.g.
     *        "../replica-router" from another module)
     * @param properties system properties (config keys) for the service
     */
    public static ServiceProcess of(String name, Path module, Map<String, String> properties) {
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: package " + name + " first");
        }
        return new ServiceProcess(name, jar, new LinkedHashMap<>(properties));
    }

    /** Points the service at the harness's Redis (standalone or cluster: hosts and client type). */
    public ServiceProcess redis(RedisServer redis) {
        properties.putAll(redis.quarkusConfig());
        return this;
    }

    /** Environment variables for the service (the SLUICE_* ones every service reads), added to this JVM's. */
    public ServiceProcess env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /**
     * Starts the JVM and waits until /q/health/ready answers 200. May be called again after {@link #stop()}:
     * the service comes back on the same port.
     */
    public ServiceProcess start(Duration readyWithin) {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port, "-Dquarkus.log.console.json.enabled=false"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + readyWithin.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up:\n" + tail(60));
            }
            if (status("/q/health/ready") == 200) {
                return this;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + readyWithin + ":\n" + tail(60));
    }

    /** Stops the service gracefully (SIGTERM), as an operator would. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Kills the service at once (SIGKILL), as a crash or an OOM killer would: no shutdown hooks run and its database
     * sessions are cut mid-transaction. {@link #start} brings it back on the same port.
     */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP: the JVM freezes mid-work (a long GC pause, a stalled VM), its connections stay open. */
    public void pause() {
        Processes.signal(process, "STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        Processes.signal(process, "CONT");
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    /** The JVM's process id (-1 before start). */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The last lines of the service's output, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
