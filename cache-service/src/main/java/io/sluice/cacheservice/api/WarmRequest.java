package io.sluice.cacheservice.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Queries to load and/or keys of cached query results to reload, in batches of batch_size (default 50). */
public record WarmRequest(List<QueryRequest> queries, List<InvalidateRequest.KeyRef> keys,
        @JsonProperty("batch_size") Integer batchSize) {
}
