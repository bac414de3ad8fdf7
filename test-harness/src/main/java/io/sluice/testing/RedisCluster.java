package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real three-master Redis Cluster (no replicas, no persistence): three {@code redis-server --cluster-enabled yes}
 * joined by {@code redis-cli --cluster create}. Stopping it stops every master; starting it again brings them back
 * with their slots (nodes.conf) and without data, like a standalone Redis restarted empty.
 */
public final class RedisCluster implements RedisServer {

    private static final int MASTERS = 3;

    private final List<RedisNode> masters;

    private RedisCluster(List<RedisNode> masters) {
        this.masters = masters;
    }

    static RedisCluster start(Path baseDir) {
        List<RedisNode> nodes = new ArrayList<>();
        for (int i = 0; i < MASTERS; i++) {
            nodes.add(RedisNode.clusterMember(baseDir));
        }
        var cluster = new RedisCluster(nodes);
        try {
            nodes.forEach(RedisNode::start);
            cluster.create();
            cluster.awaitServing();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisNode::kill);
            throw e;
        }
    }

    private void create() {
        List<String> cmd = new ArrayList<>(List.of(cli(), "--cluster", "create"));
        masters.forEach(n -> cmd.add("127.0.0.1:" + n.port()));
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run redis-cli; install redis-tools (apt-get install redis-server)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every master reports cluster_state:ok, i.e. all 16384 slots are served. */
    private void awaitServing() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (masters.stream().allMatch(RedisCluster::ok)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("Redis Cluster " + this + " did not reach cluster_state:ok");
    }

    private static boolean ok(RedisNode node) {
        try {
            return node.command("CLUSTER", "INFO").contains("cluster_state:ok");
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    @Override
    public String url() {
        return masters.stream().map(RedisNode::url).collect(Collectors.joining(","));
    }

    @Override
    public String clientType() {
        return "cluster";
    }

    @Override
    public synchronized void start() {
        if (isRunning() && masters.stream().allMatch(RedisCluster::ok)) {
            return;
        }
        masters.forEach(RedisNode::start);
        awaitServing();
    }

    @Override
    public synchronized void stop() {
        masters.forEach(RedisNode::stop);
    }

    @Override
    public synchronized void kill() {
        masters.forEach(RedisNode::kill);
    }

    @Override
    public synchronized void pause() {
        masters.forEach(RedisNode::pause);
    }

    @Override
    public synchronized void resume() {
        masters.forEach(RedisNode::resume);
    }

    @Override
    public synchronized boolean isRunning() {
        return masters.stream().allMatch(RedisNode::isRunning);
    }

    /** Sent to the first master; a MOVED answer is followed to the master that owns the key's slot. */
    @Override
    public String command(String... args) {
        if (args.length > 0 && args[0].equalsIgnoreCase("SCAN")) {
            return scanAll(args);
        }
        try {
            return masters.get(0).command(args);
        } catch (UncheckedIOException e) {
            String reply = e.getCause() == null ? "" : String.valueOf(e.getCause().getMessage());
            if (!reply.startsWith("MOVED ")) {
                throw e;
            }
            int port = Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1).trim());
            return masters.stream().filter(n -> n.port() == port).findFirst()
                    .orElseThrow(() -> new UncheckedIOException(new IOException("no master on port " + port)))
                    .command(args);
        }
    }

    @Override
    public String commandOnEveryNode(String... args) {
        String first = null;
        for (RedisNode node : masters) {
            String reply = node.command(args);
            first = first == null ? reply : first;
        }
        return first;
    }

    /** SCAN of every master, one full pass each: "0" then the keys found. */
    private String scanAll(String... args) {
        List<String> lines = new ArrayList<>(List.of("0"));
        for (RedisNode node : masters) {
            String cursor = "0";
            do {
                String[] call = args.clone();
                call[1] = cursor;
                String[] reply = node.command(call).split("\n", -1);
                cursor = reply[0];
                for (int i = 1; i < reply.length; i++) {
                    if (!reply[i].isEmpty()) {
                        lines.add(reply[i]);
                    }
                }
            } while (!cursor.equals("0"));
        }
        return String.join("\n", lines);
    }

    private static String cli() {
        String configured = System.getenv("SLUICE_REDIS_CLI");
        return configured != null && !configured.isBlank() ? configured : "redis-cli";
    }

    @Override
    public String toString() {
        return "redis-cluster@" + masters.stream().map(n -> Integer.toString(n.port()))
                .collect(Collectors.joining(","));
    }
}
