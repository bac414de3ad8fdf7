package io.sluice.cacheservice.query;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A validated cacheable query: what is loaded, and how long the result may be kept. */
public record QuerySpec(String namespace, String sql, List<JsonNode> params, long ttlSeconds, List<String> tags,
        long staleWhileRevalidateSeconds, long staleIfErrorSeconds) {
}
