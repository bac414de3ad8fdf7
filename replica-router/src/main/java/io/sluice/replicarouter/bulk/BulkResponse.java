package io.sluice.replicarouter.bulk;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to a bulk write. {@code errors} is true when any chunk failed (only possible in per_chunk mode: an
 * atomic failure is a 400 problem and nothing is committed). {@code commit_lsn} is the newest commit's WAL position
 * (for read-your-writes), {@code node} the node that committed; both are null when nothing was committed.
 */
public record BulkResponse(String command, String mode, int rows, int chunks,
        @JsonProperty("row_count") long rowCount, boolean errors, String node,
        @JsonProperty("commit_lsn") String commitLsn, List<ChunkOutcome> committed, List<ChunkOutcome> failed) {
}
