package io.sluice.cacheservice.entry;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/** A cached JSON value and the time it has left. */
public record CachedValue(JsonNode value, Duration ttl) {
}
