package io.sluice.replicarouter.wire;

/** The database (or Sluice on its behalf) rejected a statement; answered as a 400 the Neon driver understands. */
public class SqlErrorException extends RuntimeException {

    private final transient DbError error;

    public SqlErrorException(DbError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public DbError error() {
        return error;
    }
}
