package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The harness's Redis Cluster: three real masters, keys spread over them, restartable and empty after a restart. */
class RedisClusterTest {

    @Test
    void keysSpreadOverThreeMastersAndARestartComesBackEmpty() throws Exception {
        Path dir = Files.createTempDirectory("sluice-cluster-test-");
        RedisCluster cluster = RedisCluster.start(dir);
        try {
            assertThat(cluster.clientType()).isEqualTo("cluster");
            assertThat(cluster.url().split(",")).hasSize(3);
            String run = UUID.randomUUID().toString();
            for (int i = 0; i < 30; i++) {
                assertThat(cluster.command("SET", "sluice:test:{" + run + i + "}", "v", "EX", "60")).isEqualTo("OK");
            }
            // CLUSTER KEYSLOT of thirty different hash tags lands on every master; SCAN sees all of them.
            assertThat(cluster.command("SCAN", "0", "MATCH", "sluice:test:{" + run + "*", "COUNT", "1000")
                    .split("\n")).hasSize(31);
            assertThat(cluster.command("CLUSTER", "INFO")).contains("cluster_known_nodes:3", "cluster_size:3");

            cluster.kill();
            assertThat(cluster.isRunning()).isFalse();
            cluster.start();
            assertThat(cluster.command("CLUSTER", "INFO")).contains("cluster_state:ok");
            assertThat(cluster.command("GET", "sluice:test:{" + run + "0}")).isEmpty();
        } finally {
            cluster.kill();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
