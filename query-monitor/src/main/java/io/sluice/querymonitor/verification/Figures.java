package io.sluice.querymonitor.verification;

/** The numbers a verdict compares: calls, mean and p95 (ms). */
public record Figures(long calls, double meanMs, double p95Ms) {
}
