package io.sluice.querymonitor.snapshot;

/** How pg_stat_statements keys its rows. */
public record StatementKey(long userId, long dbId, long queryId, boolean topLevel) {
}
