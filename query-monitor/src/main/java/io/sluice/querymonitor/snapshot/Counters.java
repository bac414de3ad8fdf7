package io.sluice.querymonitor.snapshot;

/** The cumulative counters of one pg_stat_statements row. */
public record Counters(long calls, double totalExecMs, long rows) {
}
