package io.sluice.ratelimiter.gcra;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * One long-lived Redis connection for the decision path, on which concurrent checks are pipelined (the pooled
 * client sends one command per connection at a time, which capped concurrent checks at the pool size). A
 * connection that fails or closes is dropped; the next check connects again.
 */
@ApplicationScoped
public class PipelinedConnection {

    private static final Logger LOG = Logger.getLogger(PipelinedConnection.class);

    private final Redis redis;
    private volatile Uni<RedisConnection> connection;

    public PipelinedConnection(Redis redis) {
        this.redis = redis;
    }

    public Uni<Response> send(Request request) {
        Uni<RedisConnection> current = current();
        // A failed connect is dropped here; a connection that breaks later reports through its handlers.
        return current.onFailure().invoke(e -> drop(current, e)).chain(c -> c.send(request));
    }

    private Uni<RedisConnection> current() {
        Uni<RedisConnection> c = connection;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (connection == null) {
                @SuppressWarnings("unchecked")
                Uni<RedisConnection>[] self = new Uni[1];
                self[0] = redis.connect()
                        .invoke(conn -> conn.exceptionHandler(e -> drop(self[0], e)).endHandler(() -> drop(self[0], null)))
                        .memoize().indefinitely();
                connection = self[0];
            }
            return connection;
        }
    }

    private synchronized void drop(Uni<RedisConnection> failed, Throwable cause) {
        if (connection == failed && failed != null) {
            connection = null;
            LOG.debugf("Decision connection to Redis dropped (%s)", cause == null ? "closed" : cause.getMessage());
        }
    }
}
