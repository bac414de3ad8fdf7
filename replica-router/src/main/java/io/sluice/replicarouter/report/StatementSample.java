package io.sluice.replicarouter.report;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One executed statement as query-monitor's {@code POST /v1/queries/samples} takes it (snake_case fields).
 * {@code sql} is the normalized text: literals are already replaced, and parameter values are never part of a
 * sample. {@code timestamp} is ISO-8601 (UTC). {@code traceparent} (W3C) names the request that ran it, when it was
 * traced, so query-monitor's handling can link back to it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatementSample(String sql, String fingerprint, String database, String node,
        @JsonProperty("duration_ms") double durationMs, Long rows, String error,
        @JsonProperty("request_id") String requestId, String timestamp, String source, String traceparent) {

    public static final String SOURCE = "replica-router";

    public StatementSample(String sql, String fingerprint, String database, String node, double durationMs,
            Long rows, String error, String requestId, String traceparent) {
        this(sql, fingerprint, database, node, durationMs, rows, error, requestId, Instant.now().toString(), SOURCE,
                traceparent);
    }
}
