package io.sluice.querymonitor.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between two snapshots, or the reason the interval is skipped. The monitor never resets the
 * statistics itself; when someone else did (stats_reset moved, a counter went backwards) or entries were evicted
 * (dealloc grew, so an entry's counts may have restarted), the interval's numbers are not trustworthy and it is
 * skipped: the new snapshot becomes the baseline for the next one.
 */
public sealed interface SnapshotDiff {

    record Deltas(List<Delta> deltas) implements SnapshotDiff {
    }

    record Skipped(String reason) implements SnapshotDiff {
    }

    record Delta(StatementKey key, long calls, double totalExecMs, long rows) {
    }

    static SnapshotDiff between(Snapshot previous, Snapshot current) {
        if (previous == null) {
            return new Skipped("first snapshot: it is the baseline");
        }
        if (!Objects.equals(previous.statsReset(), current.statsReset())) {
            return new Skipped("pg_stat_statements was reset");
        }
        if (current.dealloc() != previous.dealloc()) {
            return new Skipped("pg_stat_statements evicted " + (current.dealloc() - previous.dealloc())
                    + " entries (dealloc)");
        }
        List<Delta> deltas = new ArrayList<>();
        for (Map.Entry<StatementKey, Counters> e : current.rows().entrySet()) {
            Counters now = e.getValue();
            Counters before = previous.rows().getOrDefault(e.getKey(), new Counters(0, 0, 0));
            if (now.calls() < before.calls() || now.totalExecMs() < before.totalExecMs() - 1e-6
                    || now.rows() < before.rows()) {
                return new Skipped("counters went backwards for queryid " + e.getKey().queryId());
            }
            if (now.calls() > before.calls()) {
                deltas.add(new Delta(e.getKey(), now.calls() - before.calls(),
                        now.totalExecMs() - before.totalExecMs(), now.rows() - before.rows()));
            }
        }
        return new Deltas(deltas);
    }
}
