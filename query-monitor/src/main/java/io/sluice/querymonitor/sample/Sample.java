package io.sluice.querymonitor.sample;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * One executed statement as reported by a Sluice service or an app. {@code error} is the SQLSTATE (or a short
 * code) when the statement failed, else null. replica-router also sends the {@code fingerprint} it computed, the
 * {@code node} that ran the statement and the {@code requestId} of the request; {@code sql} is then already
 * normalized (no literal values).
 */
public record Sample(
        @NotBlank @Size(max = 100_000) String sql,
        @Size(max = 63) String database,
        @NotNull @PositiveOrZero Double durationMs,
        @PositiveOrZero Long rows,
        @Size(max = 64) String error,
        @Size(max = 64) String fingerprint,
        @Size(max = 63) String node,
        @Size(max = 128) String requestId) {
}
