package io.sluice.replicarouter.api;

import java.net.URI;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.sluice.replicarouter.wire.DbError;

/**
 * A problem+json document for a rejected statement that is also the error body the Neon driver reads: the
 * PostgreSQL fields ({@code message}, {@code code}, {@code severity}, {@code position}, ...) sit at the top level.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SqlProblem(URI type, String title, int status, String detail, URI instance, String requestId,
        String message, String code, String severity, String hint, String position, String internalPosition,
        String internalQuery, String where, String schema, String table, String column, String dataType,
        String constraint, String file, String line, String routine) {

    static SqlProblem of(URI type, String title, int status, URI instance, String requestId, DbError e) {
        // The Neon driver copies detail onto its error as PostgreSQL's DETAIL; without one, RFC 9457's detail
        // (a human explanation of this occurrence) is the message itself.
        String detail = e.detail() != null ? e.detail() : e.message();
        return new SqlProblem(type, title, status, detail, instance, requestId, e.message(), e.code(), e.severity(),
                e.hint(), e.position(), e.internalPosition(), e.internalQuery(), e.where(), e.schema(), e.table(),
                e.column(), e.dataType(), e.constraint(), e.file(), e.line(), e.routine());
    }
}
