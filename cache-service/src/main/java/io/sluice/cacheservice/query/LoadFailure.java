package io.sluice.cacheservice.query;

/**
 * A query load that failed. {@code clientError}: PostgreSQL refused the statement (the request's fault: passed on
 * as a 400 with SQLSTATE); otherwise the database or router could not be reached (stale-if-error applies).
 */
public class LoadFailure extends RuntimeException {

    private final boolean clientError;
    private final String sqlState;

    public LoadFailure(String message, boolean clientError, String sqlState, Throwable cause) {
        super(message, cause, false, false);
        this.clientError = clientError;
        this.sqlState = sqlState;
    }

    public boolean clientError() {
        return clientError;
    }

    public String sqlState() {
        return sqlState;
    }
}
