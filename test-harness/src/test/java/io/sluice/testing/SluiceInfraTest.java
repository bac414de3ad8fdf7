package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SluiceInfraTest {

    private final SluiceInfra infra = SluiceInfra.get();

    @AfterEach
    void heal() {
        infra.heal();
    }

    @Test
    void replicaStreamsRowsWrittenOnThePrimary() {
        String table = "t_" + UUID.randomUUID().toString().replace("-", "");
        String marker = UUID.randomUUID().toString();
        infra.primary().execute("CREATE TABLE " + table + " (v text)");
        infra.primary().execute("INSERT INTO " + table + " VALUES (?)", marker);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(marker, infra.replica().queryValue("SELECT v FROM " + table)));
        assertTrue(infra.replica().isInRecovery());
        assertFalse(infra.primary().isInRecovery());
    }

    @Test
    void pausedReplayHoldsTheReplicaBackUntilResumed() {
        String table = "p_" + UUID.randomUUID().toString().replace("-", "");
        infra.primary().execute("CREATE TABLE " + table + " (v int)");
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));

        infra.pauseReplay(infra.replica());
        infra.primary().execute("INSERT INTO " + table + " VALUES (1)");
        // The primary has moved on; the paused replica must still see the table empty.
        assertEquals("0", infra.replica().queryValue("SELECT count(*) FROM " + table));

        infra.resumeReplay(infra.replica());
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        assertEquals("1", infra.replica().queryValue("SELECT count(*) FROM " + table));
    }

    @Test
    void redisCanBeStoppedAndRestarted() {
        String key = "sluice:test:" + UUID.randomUUID();
        assertEquals("OK", infra.redis().command("SET", key, "v", "EX", "60"));

        infra.redis().stop();
        assertFalse(infra.redis().isRunning());
        assertThrows(UncheckedIOException.class, () -> infra.redis().command("PING"));

        infra.redis().start();
        assertEquals("PONG", infra.redis().command("PING"));
        // No persistence: a restarted Redis is empty, which is what a fault test wants to see.
        assertEquals("", infra.redis().command("GET", key));
    }

    @Test
    void replicaCanBeStoppedAndRestarted() {
        infra.replica().stop();
        assertFalse(infra.replica().isRunning());
        infra.replica().start();
        assertTrue(infra.replica().isRunning());
        assertTrue(infra.replica().isInRecovery());
    }

    @Test
    void pgStatStatementsSeesQueriesRunOnThePrimary() {
        String table = "s_" + UUID.randomUUID().toString().replace("-", "");
        infra.primary().execute("CREATE TABLE " + table + " (v int)");
        infra.primary().execute("SELECT count(*) FROM " + table + " WHERE v = 42");

        assertThat(infra.pgStatStatements())
                .anySatisfy(row -> assertThat(row.get("query").toString()).contains(table).contains("$1"));
    }
}
