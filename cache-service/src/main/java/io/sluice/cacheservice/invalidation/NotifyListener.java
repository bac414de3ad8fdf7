package io.sluice.cacheservice.invalidation;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * LISTENs on the channel the installed triggers NOTIFY ({@code <schema>.<table>|<epoch ms>}) and invalidates
 * that table's tag: the path for writes that do not go through replica-router. NOTIFY is not replayable, so each
 * invalidation is retried until Redis applied it ({@link RetriedInvalidations}), and a reconnect (anything may have
 * been missed meanwhile) invalidates every query result.
 */
@ApplicationScoped
public class NotifyListener {

    private static final Logger LOG = Logger.getLogger(NotifyListener.class);

    private final Vertx vertx;
    private final RetriedInvalidations invalidations;
    private final CacheServiceConfig config;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    private PgSubscriber subscriber;

    public NotifyListener(Vertx vertx, RetriedInvalidations invalidations, CacheServiceConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.invalidations = invalidations;
        this.config = config;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public Uni<Void> start() {
        if (!config.invalidation().notifyEnabled()) {
            return Uni.createFrom().voidItem();
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> 500L);
        subscriber.channel(config.invalidation().notifyChannel())
                .handler(this::onNotify)
                .subscribeHandler(this::onSubscribed);
        return subscriber.connect()
                .onFailure().invoke(e -> LOG.warnf("LISTEN not connected yet (%s); retrying", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    public boolean connected() {
        return subscriber != null && !subscriber.closed() && subscribedOnce.get();
    }

    private void onSubscribed() {
        if (!subscribedOnce.compareAndSet(false, true)) {
            LOG.warn("the NOTIFY listener reconnected: notifications may have been missed meanwhile");
            invalidations.everything();
        }
    }

    private void onNotify(String payload) {
        int bar = payload.lastIndexOf('|');
        String table = bar < 0 ? payload : payload.substring(0, bar);
        invalidations.table(table, bar < 0 ? -1 : parseLong(payload.substring(bar + 1)));
    }

    public Uni<Void> stop() {
        return subscriber == null ? Uni.createFrom().voidItem() : subscriber.close();
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
