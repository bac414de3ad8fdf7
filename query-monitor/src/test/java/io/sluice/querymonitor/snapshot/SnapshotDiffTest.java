package io.sluice.querymonitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SnapshotDiffTest {

    private static final Instant RESET = Instant.parse("2026-01-01T00:00:00Z");
    private static final StatementKey A = new StatementKey(10, 5, 111, true);
    private static final StatementKey B = new StatementKey(10, 5, 222, true);

    private static Snapshot snap(long dealloc, Instant reset, Map<StatementKey, Counters> rows) {
        return new Snapshot(Instant.now(), dealloc, reset, rows);
    }

    @Test
    void theFirstSnapshotIsOnlyABaseline() {
        assertThat(SnapshotDiff.between(null, snap(0, RESET, Map.of(A, new Counters(5, 10, 5)))))
                .isInstanceOf(SnapshotDiff.Skipped.class);
    }

    @Test
    void deltasCoverGrownAndNewEntriesOnly() {
        var before = snap(0, RESET, Map.of(A, new Counters(5, 10, 5), B, new Counters(1, 1, 0)));
        var after = snap(0, RESET, Map.of(A, new Counters(8, 16.5, 11), B, new Counters(1, 1, 0),
                new StatementKey(10, 5, 333, false), new Counters(2, 4, 2)));
        var diff = (SnapshotDiff.Deltas) SnapshotDiff.between(before, after);
        assertThat(diff.deltas()).containsExactlyInAnyOrder(
                new SnapshotDiff.Delta(A, 3, 6.5, 6),
                new SnapshotDiff.Delta(new StatementKey(10, 5, 333, false), 2, 4, 2));
    }

    @Test
    void aResetSkipsTheInterval() {
        var before = snap(0, RESET, Map.of(A, new Counters(5, 10, 5)));
        var after = snap(0, RESET.plusSeconds(30), Map.of(A, new Counters(7, 12, 7)));
        assertThat(SnapshotDiff.between(before, after)).isInstanceOf(SnapshotDiff.Skipped.class);
    }

    @Test
    void evictionsSkipTheInterval() {
        var before = snap(3, RESET, Map.of(A, new Counters(5, 10, 5)));
        var after = snap(4, RESET, Map.of(A, new Counters(6, 11, 6)));
        assertThat(((SnapshotDiff.Skipped) SnapshotDiff.between(before, after)).reason()).contains("dealloc");
    }

    @Test
    void countersGoingBackwardsSkipTheInterval() {
        var before = snap(0, RESET, Map.of(A, new Counters(5, 10, 5)));
        var after = snap(0, RESET, Map.of(A, new Counters(2, 3, 1)));
        assertThat(((SnapshotDiff.Skipped) SnapshotDiff.between(before, after)).reason()).contains("backwards");
    }
}
