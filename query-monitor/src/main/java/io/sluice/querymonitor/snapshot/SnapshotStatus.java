package io.sluice.querymonitor.snapshot;

import java.time.Instant;

/** The last snapshot attempt of one database, for health and the snapshot API. */
public record SnapshotStatus(String database, boolean reachable, boolean extensionPresent, Instant lastSnapshot,
        String lastOutcome, int lastDeltas) {
}
