package io.sluice.replicarouter.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * One connection per node outside its pool, for the router's own questions: health probes, the pool report's
 * server limit, failover. They never queue behind client traffic, so an overloaded pool is never mistaken for a
 * dead node. A connection that fails for any reason but a SQL error is closed and opened again on next use.
 */
@Singleton
public class ControlConnections {

    private final Map<String, SqlConnection> open = new ConcurrentHashMap<>();
    private final NodeRegistry registry;
    private final Vertx vertx;

    public ControlConnections(NodeRegistry registry, Vertx vertx) {
        this.registry = registry;
        this.vertx = vertx;
    }

    /** Runs one simple-protocol statement on the node's control connection. */
    public Uni<RowSet<Row>> query(Node node, String sql) {
        return connection(node).chain(conn -> conn.query(sql).execute()
                .onFailure(e -> !(e instanceof PgException)).invoke(e -> drop(node.name(), conn))
                .onCancellation().invoke(() -> drop(node.name(), conn)));
    }

    private Uni<SqlConnection> connection(Node node) {
        SqlConnection existing = open.get(node.name());
        if (existing != null) {
            return Uni.createFrom().item(existing);
        }
        return PgConnection.connect(vertx, registry.controlOptions(node)).map(conn -> {
            SqlConnection raced = open.putIfAbsent(node.name(), conn);
            if (raced != null) {
                conn.closeAndForget();
                return raced;
            }
            conn.closeHandler(() -> open.remove(node.name(), conn));
            return (SqlConnection) conn;
        });
    }

    /** Forgets a connection that failed or hung, so the next question opens a fresh one. */
    private void drop(String node, SqlConnection conn) {
        if (open.remove(node, conn)) {
            conn.closeAndForget();
        }
    }

    @PreDestroy
    void close() {
        open.values().forEach(SqlConnection::closeAndForget);
    }
}
