package io.sluice.replicarouter.sql;

/**
 * What runs on a connection after a request and before it goes back to the pool, as one simple-protocol message
 * (one round trip): the WAL position a write's client reads its own writes by, and the reset of whatever session
 * state the request may have left. The reset is DISCARD ALL without DEALLOCATE ALL and DISCARD PLANS, which would
 * throw away the pool's prepared statements; RESET ALL goes back to the values the connection was opened with
 * (statement_timeout, read-only replica sessions). The wire listener runs the same epilogue on its own server
 * connections.
 */
public final class SessionReset {

    static final String CURRENT_LSN = "SELECT pg_current_wal_insert_lsn()::text";

    private static final String RESET = "SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; "
            + "SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES";
    /** A standby refuses UNLISTEN (nothing can LISTEN there either). */
    private static final String RESET_PRIMARY = RESET + "; UNLISTEN *";

    /** Run when the request may have left a transaction open: it was cut short, or failed outside PostgreSQL. */
    private static final String ROLLBACK = "ROLLBACK; ";

    /** Ends a backend whose state could not be reset, so the pool drops the connection instead of lending it. */
    static final String TERMINATE = "SELECT pg_terminate_backend(pg_backend_pid())";

    private SessionReset() {
    }

    /**
     * @param lsn read the WAL position first (a committed write)
     * @param reset reset the session state
     * @param rollback end a transaction the request may have left open
     * @param standbyPool whether the connection belongs to a replica's pool
     * @return the epilogue, or null when there is nothing to run
     */
    public static String epilogue(boolean lsn, boolean reset, boolean rollback, boolean standbyPool) {
        if (!lsn && !reset) {
            return null;
        }
        StringBuilder sql = new StringBuilder();
        if (lsn) {
            sql.append(CURRENT_LSN);
        }
        if (reset) {
            sql.append(lsn ? "; " : "").append(rollback ? ROLLBACK : "")
                    .append(standbyPool ? RESET : RESET_PRIMARY);
        }
        return sql.toString();
    }
}
