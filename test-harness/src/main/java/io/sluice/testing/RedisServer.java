package io.sluice.testing;

import java.util.Map;

/**
 * The Redis the tests run against: one standalone {@link RedisNode}, or a {@link RedisCluster} of three masters
 * (chosen by {@code -Dsluice.test.redis=cluster} or {@code SLUICE_TEST_REDIS=cluster}). Either way tests may stop,
 * kill and restart it (it always comes back empty) and send it raw commands.
 */
public interface RedisServer {

    /** For {@code quarkus.redis.hosts}: one URL, or every master's URL comma-separated (cluster seeds). */
    String url();

    /** For {@code quarkus.redis.client-type}: {@code standalone} or {@code cluster}. */
    String clientType();

    /** The two Quarkus properties a service needs to reach this Redis. */
    default Map<String, String> quarkusConfig() {
        return Map.of("quarkus.redis.hosts", url(), "quarkus.redis.client-type", clientType());
    }

    /** The same as the SLUICE_* variables the services read (deploy/local/sluice sets these). */
    default Map<String, String> sluiceEnv() {
        return Map.of("SLUICE_REDIS_URL", url(), "SLUICE_REDIS_CLIENT_TYPE", clientType());
    }

    /** Starts whatever is stopped and waits until it serves (a cluster: until every slot is served). */
    void start();

    /** SIGTERM: Redis closes its connections and exits. */
    void stop();

    /** SIGKILL, like a crash. */
    void kill();

    /** SIGSTOP: Redis freezes with its data and connections; commands wait until {@link #resume()}. */
    void pause();

    /** SIGCONT after {@link #pause()}. */
    void resume();

    default void restart() {
        stop();
        start();
    }

    boolean isRunning();

    /**
     * One command over RESP, sent where its key lives; returns the reply as text (arrays joined by newlines).
     * On a cluster, SCAN returns cursor "0" followed by the matching keys of every master.
     */
    String command(String... args);

    /** The same command on every node (CONFIG SET, say); returns the first node's reply. */
    String commandOnEveryNode(String... args);
}
