package io.sluice.querymonitor.db;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** One small pool per configured database (primary and replicas): monitoring needs few connections. */
@ApplicationScoped
public class DatabasePools {

    private final Map<String, Pool> pools = new TreeMap<>();

    public DatabasePools(QueryMonitorConfig config, Vertx vertx) {
        config.databases().forEach((name, db) -> {
            PgConnectOptions connect = PgConnectOptions.fromUri(db.url()).setUser(db.username())
                    .setConnectTimeout(5000)
                    .addProperty("application_name", "sluice-query-monitor");
            db.password().ifPresent(connect::setPassword);
            pools.put(name, PgPool.pool(vertx, connect, new PoolOptions().setName("qm-" + name).setMaxSize(4)));
        });
    }

    public Set<String> names() {
        return pools.keySet();
    }

    public Pool get(String name) {
        return pools.get(name);
    }

    @PreDestroy
    void close() {
        pools.values().forEach(Pool::closeAndAwait);
    }
}
