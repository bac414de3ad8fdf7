package io.sluice.cacheservice.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.cacheservice.invalidation.WrittenLsn;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/** The router when {@code loader.router-url} is set, else the own pool. */
public class QueryLoaderProducer {

    private static final Logger LOG = Logger.getLogger(QueryLoaderProducer.class);

    @Produces
    @ApplicationScoped
    QueryLoader loader(CacheServiceConfig config, Vertx vertx, Pool pool, ObjectMapper json, WrittenLsn writtenLsn) {
        return config.loader().routerUrl()
                .<QueryLoader>map(url -> {
                    LOG.infof("query misses load through replica-router");
                    return new RouterQueryLoader(vertx, url, config.loader().timeout(), json, writtenLsn);
                })
                .orElseGet(() -> {
                    LOG.infof("no router configured: query misses load on the own PostgreSQL pool");
                    return new PoolQueryLoader(pool, json);
                });
    }
}
