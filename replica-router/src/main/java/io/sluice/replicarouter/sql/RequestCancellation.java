package io.sluice.replicarouter.sql;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Stops one request's statement on the server when nobody wants its result any more: the client went away, or
 * the result outgrew its budget. PostgreSQL's cancel arrives out of band, so the connection must not go back to
 * the pool before the cancel has been delivered (it would hit the next request's statement): {@link #settled()}
 * is what the release waits for. A cancel that reaches an idle backend is ignored by PostgreSQL.
 */
public final class RequestCancellation {

    private static final Logger LOG = Logger.getLogger(RequestCancellation.class);

    private SqlConnection running;
    private boolean requested;
    private Uni<Void> delivered;

    /** Whether the request's result is no longer wanted (checked before starting more work). */
    public synchronized boolean requested() {
        return requested;
    }

    /** The connection now running the request's statements; a cancel requested earlier is sent at once. */
    synchronized void attach(SqlConnection conn) {
        running = conn;
        if (requested) {
            send();
        }
    }

    /**
     * The work on the connection is over: completes once every cancel sent for it has reached the server (at once
     * when none was), so it is safe to run the next statement on that connection.
     */
    synchronized Uni<Void> detach() {
        running = null;
        return delivered == null ? Uni.createFrom().voidItem() : delivered;
    }

    /** Whether a cancel was sent to the server, so whatever ran on the connection may have been cut short. */
    synchronized boolean sent() {
        return delivered != null;
    }

    /** Cancels the running statement, if any; later statements of the request are not started. */
    public synchronized void request(String why) {
        if (requested) {
            return;
        }
        requested = true;
        LOG.debugf("cancelling the request's statement: %s", why);
        if (running != null) {
            send();
        }
    }

    private void send() {
        if (delivered == null) {
            delivered = PgConnection.cast(running).cancelRequest()
                    .onFailure().invoke(e -> LOG.debugf("cancel request not delivered: %s", e.getMessage()))
                    .onFailure().recoverWithNull()
                    .memoize().indefinitely();
            // Sent now, not when someone waits for it: the point is to stop the server's work at once.
            delivered.subscribe().with(ok -> {
            });
        }
    }
}
