package io.sluice.querymonitor.sample;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One executed statement as reported by a Sluice service or an app. Either {@code sql} (raw or already
 * normalized) or {@code fingerprint} identifies it. {@code error} is the SQLSTATE (or a short code) when the
 * statement failed. {@code timestamp} defaults to the time of arrival. {@code traceparent} (W3C) names the request
 * that ran it: the batch's span links to it. Checked by {@link SampleValidator}.
 */
public record Sample(
        String sql,
        String fingerprint,
        String database,
        String node,
        @JsonProperty("duration_ms") Double durationMs,
        Long rows,
        String error,
        Instant timestamp,
        String source,
        @JsonProperty("request_id") String requestId,
        String traceparent) {
}
