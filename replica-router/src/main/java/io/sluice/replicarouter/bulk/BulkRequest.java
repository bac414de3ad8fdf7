package io.sluice.replicarouter.bulk;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * POST /v1/bulk: one statement run once per parameter row. Optional fields are null when absent; defaults and
 * bounds come from replica-router.bulk.
 */
public record BulkRequest(String query, List<List<Object>> rows,
        @JsonProperty("chunk_size") Integer chunkSize, Integer parallelism, String isolation, String mode) {
}
