package io.sluice.ratelimiter.gcra;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.common.redis.RedisOutage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * One long-lived connection for the decision script: the checks in flight are pipelined on it (Redis answers in
 * order), instead of each taking a pooled connection and waiting for its answer before the next may use it. A
 * connection that fails or closes (a command failing with the client's CONNECTION_CLOSED included) is dropped; the
 * next call connects again. An error reply (NOSCRIPT) leaves it in use.
 */
@ApplicationScoped
public class ScriptConnection {

    private static final Logger LOG = Logger.getLogger(ScriptConnection.class);

    private final Redis redis;
    private volatile Uni<RedisConnection> connection;
    /** The connection once made, closed when dropped so that it goes back to (or out of) the client's pool. */
    private RedisConnection live;

    public ScriptConnection(Redis redis) {
        this.redis = redis;
    }

    public Uni<Response> send(Command command, List<String> args) {
        Request request = Request.cmd(command);
        args.forEach(request::arg);
        return connection().chain(c -> c.send(request)
                .onFailure(RedisOutage::isOutage).invoke(e -> drop(c, e)));
    }

    private Uni<RedisConnection> connection() {
        Uni<RedisConnection> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection == null) {
                connection = redis.connect()
                        .invoke(c -> {
                            c.exceptionHandler(e -> drop(c, e));
                            c.endHandler(() -> drop(c, null));
                            connected(c);
                        })
                        .onFailure().invoke(this::connectFailed)
                        .memoize().indefinitely();
            }
            return connection;
        }
    }

    private synchronized void connected(RedisConnection c) {
        live = c;
    }

    private synchronized void connectFailed(Throwable cause) {
        LOG.debugf("script connection could not be made (%s); the next check tries again", cause.getMessage());
        connection = null;
    }

    /**
     * Drops {@code c} if it is still the one in use. The identity check matters: a closed connection's end event can
     * arrive after the next one was made, and must not close that one too.
     */
    private synchronized void drop(RedisConnection c, Throwable cause) {
        if (live != c) {
            return;
        }
        LOG.debugf("script connection dropped (%s); the next check connects again",
                cause == null ? "closed" : cause.getMessage());
        live = null;
        connection = null;
        c.close().subscribe().with(v -> { }, e -> { });
    }
}
