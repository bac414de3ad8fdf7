package io.sluice.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway redis-server on a free port, with no persistence; tests may stop and restart it. As a member of a
 * {@link RedisCluster} it runs with {@code --cluster-enabled yes} (its nodes.conf survives restarts, its data not).
 */
public final class RedisNode implements RedisServer {

    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisNode(Path dir, int port, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
    }

    static RedisNode start(Path baseDir) {
        return create(baseDir, List.of()).startedNode();
    }

    /** A node ready to join a cluster (not started). */
    static RedisNode clusterMember(Path baseDir) {
        return create(baseDir, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000", "--cluster-require-full-coverage", "yes"));
    }

    private static RedisNode create(Path baseDir, List<String> extraArgs) {
        int port = FreePorts.next();
        var node = new RedisNode(baseDir.resolve("redis-" + port), port, extraArgs);
        try {
            Files.createDirectories(node.dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return node;
    }

    private RedisNode startedNode() {
        start();
        return this;
    }

    public int port() {
        return port;
    }

    /** URL for quarkus.redis.hosts. */
    @Override
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public String clientType() {
        return "standalone";
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            List<String> cmd = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
            cmd.addAll(extraArgs);
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start redis-server; install it (apt-get install redis-server)", e);
        }
        awaitPing();
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** SIGKILL, like a crash: connections are reset without a goodbye. */
    @Override
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public synchronized void pause() {
        Processes.signal(process, "STOP");
    }

    @Override
    public synchronized void resume() {
        Processes.signal(process, "CONT");
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** One command over RESP to this node; returns the reply as text (arrays joined by newlines). */
    @Override
    public String command(String... args) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            var sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return String.join("\n", readReply(new BufferedInputStream(socket.getInputStream())));
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String commandOnEveryNode(String... args) {
        return command(args);
    }

    private static List<String> readReply(InputStream in) throws IOException {
        String line = readLine(in);
        char kind = line.charAt(0);
        String rest = line.substring(1);
        switch (kind) {
            case '+', ':':
                return List.of(rest);
            case '-':
                throw new IOException(rest);
            case '$': {
                int len = Integer.parseInt(rest);
                if (len < 0) {
                    return List.of();
                }
                byte[] data = in.readNBytes(len + 2);
                return List.of(new String(data, 0, len, StandardCharsets.UTF_8));
            }
            case '*': {
                List<String> items = new ArrayList<>();
                for (int i = Integer.parseInt(rest); i > 0; i--) {
                    items.addAll(readReply(in));
                }
                return items;
            }
            default:
                throw new IOException("Unexpected reply: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("Connection closed");
    }

    private void awaitPing() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            if (!process.isAlive()) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("redis-server did not answer on port " + port + "; see " + dir.resolve("redis.log"));
    }

    private static String binary() {
        String configured = System.getenv("SLUICE_REDIS_SERVER");
        return configured != null && !configured.isBlank() ? configured : "redis-server";
    }

    @Override
    public String toString() {
        return "redis@" + port;
    }
}
