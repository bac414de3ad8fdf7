package io.sluice.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.vertx.redis.client.impl.types.ErrorType;

class RedisOutageTest {

    @Test
    void aCommandPendingOnAClosedConnectionIsAnOutageNotAReply() {
        // What the Vert.x client fails pending commands with when their connection ends (Redis stopped or killed).
        assertThat(RedisOutage.isOutage(ErrorType.create("CONNECTION_CLOSED"))).isTrue();
        assertThat(RedisOutage.isOutage(new CompletionException(ErrorType.create("CONNECTION_CLOSED")))).isTrue();
    }

    @Test
    void clusterAndFailoverStatesAreOutages() {
        for (String reply : new String[] {"CLUSTERDOWN The cluster is down", "TRYAGAIN Multiple keys request during "
                + "rehashing of slot", "LOADING Redis is loading the dataset in memory", "MASTERDOWN Link with MASTER "
                + "is down", "READONLY You can't write against a read only replica.", "BUSY Redis is busy running a "
                + "script"}) {
            assertThat(RedisOutage.isOutage(ErrorType.create(reply))).as(reply).isTrue();
        }
    }

    @Test
    void errorRepliesAboutTheCommandMeanRedisIsUp() {
        for (String reply : new String[] {"NOGROUP No such key or consumer group", "BUSYGROUP Consumer Group name "
                + "already exists", "WRONGTYPE Operation against a key holding the wrong kind of value",
                "NOSCRIPT No matching script", "ERR unknown command"}) {
            assertThat(RedisOutage.isErrorReply(ErrorType.create(reply))).as(reply).isTrue();
        }
    }

    @Test
    void transportFailuresAreOutages() {
        assertThat(RedisOutage.isOutage(new IOException("Connection refused"))).isTrue();
        assertThat(RedisOutage.isOutage(new TimeoutException())).isTrue();
        assertThat(RedisOutage.isOutage(new IllegalStateException("Connection is closed"))).isTrue();
    }
}
