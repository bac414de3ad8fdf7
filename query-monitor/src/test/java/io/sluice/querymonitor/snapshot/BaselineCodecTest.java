package io.sluice.querymonitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BaselineCodecTest {

    @Test
    void aSnapshotReadsBackExactlySoDeltasAcrossInstancesDoNotDrift() {
        var rows = Map.of(
                new StatementKey(10, 5, -8_123_456_789L, true), new Counters(12, 0.1 + 0.2, 7),
                new StatementKey(10, 5, 42, false), new Counters(3, 123456.789012345, 0));
        // PostgreSQL's stats_reset has microseconds: a baseline that lost them would look like a reset every time.
        var s = new Snapshot(Instant.parse("2026-12-03T09:00:00.123456789Z"), 4,
                Instant.parse("2026-12-01T08:00:00.654321Z"), rows);
        assertThat(BaselineCodec.read(BaselineCodec.write(s))).isEqualTo(s);
        var noReset = new Snapshot(Instant.ofEpochMilli(1), 0, null, Map.of());
        assertThat(BaselineCodec.read(BaselineCodec.write(noReset))).isEqualTo(noReset);
    }

    @Test
    void somethingElseIsNotABaseline() {
        assertThatThrownBy(() -> BaselineCodec.read("hello")).isInstanceOf(IllegalArgumentException.class);
    }
}
