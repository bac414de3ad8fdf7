package io.sluice.cacheservice.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import com.fasterxml.jackson.databind.JsonNode;

/** Any JSON value (app-computed, so not a typed record), and an optional TTL in seconds. */
public record PutEntryRequest(@NotNull JsonNode value, @Positive Long ttlSeconds) {
}
