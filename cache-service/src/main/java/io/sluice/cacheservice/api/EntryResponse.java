package io.sluice.cacheservice.api;

import com.fasterxml.jackson.databind.JsonNode;

public record EntryResponse(String namespace, String key, JsonNode value, long ttlSeconds) {
}
