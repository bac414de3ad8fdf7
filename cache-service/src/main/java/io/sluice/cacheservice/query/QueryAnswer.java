package io.sluice.cacheservice.query;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cacheservice.entry.CacheStatus;

/** Rows and how they were obtained. {@code ageSeconds} is how old the value is (0 when just loaded). */
public record QueryAnswer(JsonNode rows, CacheStatus status, long ageSeconds, String key, boolean nearHit) {
}
