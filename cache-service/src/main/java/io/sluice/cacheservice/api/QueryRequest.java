package io.sluice.cacheservice.api;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** POST /v1/cache/query. Seconds fields are optional: ttl_s defaults to default-ttl, stale windows to 0. */
public record QueryRequest(@NotNull String namespace, @NotBlank String sql, List<JsonNode> params,
        @JsonProperty("ttl_s") Long ttlSeconds, List<String> tags,
        @JsonProperty("stale_while_revalidate_s") Long staleWhileRevalidateSeconds,
        @JsonProperty("stale_if_error_s") Long staleIfErrorSeconds) {
}
