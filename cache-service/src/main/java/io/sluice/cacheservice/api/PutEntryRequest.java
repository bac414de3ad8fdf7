package io.sluice.cacheservice.api;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** Any JSON value (app-computed, so not a typed record), an optional TTL in seconds and tags. */
public record PutEntryRequest(@NotNull JsonNode value, @JsonProperty("ttl_s") Long ttlSeconds, List<String> tags) {
}
