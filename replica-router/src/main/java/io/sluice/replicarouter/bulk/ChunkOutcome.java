package io.sluice.replicarouter.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What became of one chunk: committed (with the rows it changed and its commit LSN) or failed (with PostgreSQL's
 * SQLSTATE and message, or the problem type when the database could not be reached). Rows are 0-based, inclusive,
 * so a client retries exactly rows[first_row..last_row].
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChunkOutcome(int chunk, @JsonProperty("first_row") int firstRow, @JsonProperty("last_row") int lastRow,
        @JsonProperty("row_count") Long rowCount, @JsonProperty("commit_lsn") String commitLsn,
        String code, String message, String detail) {

    static ChunkOutcome committed(Chunk c, long rowCount, String commitLsn) {
        return new ChunkOutcome(c.index(), c.firstRow(), c.lastRow(), rowCount, commitLsn, null, null, null);
    }

    static ChunkOutcome failed(Chunk c, String code, String message, String detail) {
        return new ChunkOutcome(c.index(), c.firstRow(), c.lastRow(), null, null, code, message, detail);
    }

    boolean ok() {
        return code == null;
    }
}
