package io.sluice.replicarouter.wire;

import io.vertx.pgclient.PgException;

/**
 * A PostgreSQL error with the fields the Neon driver copies onto its NeonDbError. Positions and line numbers are
 * strings, as PostgreSQL's wire protocol and Neon's server send them.
 */
public record DbError(String message, String code, String severity, String detail, String hint, String position,
        String internalPosition, String internalQuery, String where, String schema, String table, String column,
        String dataType, String constraint, String file, String line, String routine) {

    public static DbError from(PgException e) {
        return new DbError(e.getErrorMessage(), e.getSqlState(), e.getSeverity(), e.getDetail(), e.getHint(),
                e.getPosition(), e.getInternalPosition(), e.getInternalQuery(), e.getWhere(), e.getSchema(),
                e.getTable(), e.getColumn(), e.getDataType(), e.getConstraint(), e.getFile(), e.getLine(),
                e.getRoutine());
    }

    /** An error Sluice raises itself with PostgreSQL's code and wording, before anything reaches the server. */
    public static DbError of(String code, String message) {
        return new DbError(message, code, "ERROR", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
