package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real backends for one test JVM: a PostgreSQL primary, a streaming replica and a Redis (or a three-master Redis
 * Cluster, {@link #clusterWanted()}), started once on
 * free ports under a temporary directory and torn down when the JVM exits (also when tests fail).
 * Tests get handles to stop/restart nodes, pause WAL replay for deterministic lag and read pg_stat_statements.
 */
public final class SluiceInfra {

    private static SluiceInfra instance;

    private final Path baseDir;
    private final PostgresNode primary;
    private final PostgresNode replica;
    private final RedisServer redis;
    private final List<PostgresNode> extraReplicas = new ArrayList<>();
    private final AtomicInteger replicaNames = new AtomicInteger(1);

    private SluiceInfra(Path baseDir, PostgresNode primary, PostgresNode replica, RedisServer redis) {
        this.baseDir = baseDir;
        this.primary = primary;
        this.replica = replica;
        this.redis = redis;
    }

    /** Starts the three servers; if one fails, those already started are stopped so nothing leaks. */
    private static SluiceInfra start(Path base) {
        PostgresNode primary = null;
        PostgresNode replica = null;
        try {
            primary = PostgresNode.primary("primary", base);
            replica = PostgresNode.replicaOf(primary, "replica1", base);
            return new SluiceInfra(base, primary, replica, clusterWanted() ? RedisCluster.start(base)
                    : RedisNode.start(base));
        } catch (RuntimeException e) {
            if (replica != null) {
                quietly(replica::kill);
            }
            if (primary != null) {
                quietly(primary::kill);
            }
            deleteTree(base);
            throw e;
        }
    }

    /**
     * Whether this test JVM runs against a three-master Redis Cluster instead of one Redis: the Maven profile
     * {@code redis-cluster} (and CI's second pass) sets {@code -Dsluice.test.redis=cluster}.
     */
    public static boolean clusterWanted() {
        String wanted = System.getProperty("sluice.test.redis", System.getenv("SLUICE_TEST_REDIS"));
        return "cluster".equalsIgnoreCase(wanted);
    }

    /** Starts the backends on first use; later calls return the same running set. */
    public static synchronized SluiceInfra get() {
        if (instance == null) {
            Path base = tempDir();
            var infra = start(base);
            Runtime.getRuntime().addShutdownHook(new Thread(infra::destroy, "sluice-infra-shutdown"));
            instance = infra;
        }
        return instance;
    }

    public PostgresNode primary() {
        return primary;
    }

    public PostgresNode replica() {
        return replica;
    }

    public RedisServer redis() {
        return redis;
    }

    /** Another streaming replica of the primary, for tests that need two; removed at JVM exit. */
    public synchronized PostgresNode startExtraReplica() {
        var node = PostgresNode.replicaOf(primary, "replica" + replicaNames.incrementAndGet(), baseDir);
        extraReplicas.add(node);
        return node;
    }

    /** Stops and deletes an extra replica, e.g. one a failover test promoted into a second primary. */
    public synchronized void removeExtraReplica(PostgresNode node) {
        if (extraReplicas.remove(node)) {
            quietly(node::kill);
            deleteTree(node.dataDir());
        }
    }

    /** Stops WAL replay on a replica: its LSN stands still while the primary moves on. */
    public void pauseReplay(PostgresNode standby) {
        standby.execute("SELECT pg_wal_replay_pause()");
    }

    public void resumeReplay(PostgresNode standby) {
        standby.execute("SELECT pg_wal_replay_resume()");
    }

    /** Waits until the standby has replayed everything the primary had written when this was called. */
    public void awaitReplayed(PostgresNode standby, Duration timeout) {
        String target = primary.queryValue("SELECT pg_current_wal_lsn()::text");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String caughtUp = standby.queryValue(
                    "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn", target);
            if ("t".equals(caughtUp)) {
                return;
            }
            pause(Duration.ofMillis(20));
        }
        throw new IllegalStateException(standby + " did not replay up to " + target + " within " + timeout);
    }

    /** The primary's pg_stat_statements rows (query, calls, total_exec_time, rows), most called first. */
    public List<Map<String, Object>> pgStatStatements() {
        return primary.query("""
                SELECT query, calls, total_exec_time, rows
                FROM pg_stat_statements ORDER BY calls DESC""");
    }

    /**
     * Brings every node back to running with replay resumed: a test that stopped or paused something and then
     * failed must not take the next test down with it. Called before each Quarkus application starts.
     */
    public synchronized void heal() {
        if (!primary.isRunning()) {
            primary.start();
        }
        for (PostgresNode standby : standbys()) {
            if (!standby.isRunning()) {
                standby.start();
            }
            if (standby.isInRecovery() && "t".equals(standby.queryValue("SELECT pg_is_wal_replay_paused()"))) {
                resumeReplay(standby);
            }
        }
        redis.start();
    }

    private List<PostgresNode> standbys() {
        List<PostgresNode> all = new ArrayList<>(extraReplicas);
        all.add(0, replica);
        return all;
    }

    private synchronized void destroy() {
        redis.kill();
        for (PostgresNode node : standbys()) {
            quietly(node::kill);
        }
        quietly(primary::kill);
        deleteTree(baseDir);
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException alreadyStopped) {
            // shutting down anyway
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("sluice-test-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Processes.giveToDbOwner(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp dir
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
