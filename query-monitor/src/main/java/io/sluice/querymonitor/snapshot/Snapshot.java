package io.sluice.querymonitor.snapshot;

import java.time.Instant;
import java.util.Map;

/** One read of pg_stat_statements (without texts) and of pg_stat_statements_info. */
public record Snapshot(Instant takenAt, long dealloc, Instant statsReset, Map<StatementKey, Counters> rows) {
}
