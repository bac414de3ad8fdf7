package io.sluice.querymonitor.db;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * One small pool per configured database (primary and replicas): monitoring needs few connections. A database
 * configured twice under the same URL (a replica URL left to default to the primary's) is one database, snapshotted
 * once, under the first of its names in alphabetical order.
 */
@ApplicationScoped
public class DatabasePools {

    private static final Logger LOG = Logger.getLogger(DatabasePools.class);

    private final Map<String, Pool> pools = new TreeMap<>();

    public DatabasePools(QueryMonitorConfig config, Vertx vertx) {
        Map<String, String> byUrl = new HashMap<>();
        new TreeMap<>(config.databases()).forEach((name, db) -> {
            String same = byUrl.putIfAbsent(db.url().trim(), name);
            if (same != null) {
                LOG.infof("database %s has the same URL as %s; it is monitored once, as %s", name, same, same);
                return;
            }
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
