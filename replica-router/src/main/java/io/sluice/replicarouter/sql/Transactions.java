package io.sluice.replicarouter.sql;

import java.time.Duration;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Explicit transactions on one connection: set-up (isolation, timeout), a body, then commit or rollback. */
public final class Transactions {

    private Transactions() {
    }

    public static <T> Uni<T> run(SqlConnection conn, Supplier<Uni<Void>> setup, Supplier<Uni<T>> body) {
        return conn.begin().chain(tx -> setup.get()
                .chain(() -> body.get())
                .call(result -> tx.commit())
                .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull()));
    }

    /** The timeout is a validated number of milliseconds, so formatting it into SET LOCAL is safe. */
    public static Uni<Void> setLocalTimeout(SqlConnection conn, Duration timeout) {
        return conn.query("SET LOCAL statement_timeout = " + timeout.toMillis()).execute().replaceWithVoid();
    }
}
