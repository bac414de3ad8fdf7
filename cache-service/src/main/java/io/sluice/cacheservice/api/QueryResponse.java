package io.sluice.cacheservice.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Rows of a cached query; {@code key} names the entry for POST /v1/cache/invalidate. */
public record QueryResponse(String namespace, String key, int rowCount, JsonNode rows) {
}
