package io.sluice.cacheservice.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

public record EntryResponse(String namespace, String key, JsonNode value, @JsonProperty("ttl_s") long ttlSeconds,
        List<String> tags) {
}
