package io.sluice.querymonitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** The snapshot lease: one holder per database, renewed by it, and a holder whose lease was taken over is fenced. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class SnapshotLeaseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DB = "lease-test";

    @Inject
    SnapshotLease lease;

    @Inject
    StatementsSnapshotter snapshotter;

    @AfterEach
    void free() {
        SluiceInfra.get().redis().command("DEL", SnapshotLease.lease(DB), SnapshotLease.baselineKey(DB));
        SluiceInfra.get().redis().command("DEL", SnapshotLease.lease("primary"));
    }

    @Test
    void theHolderKeepsItsTokenAndAnotherInstanceGetsNone() {
        long token = lease.acquire(DB).await().atMost(WAIT);
        assertThat(token).isPositive();
        assertThat(lease.acquire(DB).await().atMost(WAIT)).as("renewed, same token").isEqualTo(token);
        SluiceInfra.get().redis().command("SET", SnapshotLease.lease(DB), (token + 1) + ":other-instance", "PX",
                "60000");
        assertThat(lease.acquire(DB).await().atMost(WAIT)).isZero();
    }

    @Test
    void aHolderWhoseLeaseWasTakenOverCannotMoveTheBaseline() {
        long token = lease.acquire(DB).await().atMost(WAIT);
        Snapshot first = new Snapshot(Instant.ofEpochMilli(1000), 0, null,
                Map.of(new StatementKey(1, 1, 1, true), new Counters(5, 1.5, 5)));
        assertThat(lease.commit(DB, token, first).await().atMost(WAIT)).isTrue();
        // Paused past its lease: the lease ran out and another instance took it with a newer token.
        SluiceInfra.get().redis().command("DEL", SnapshotLease.lease(DB));
        SluiceInfra.get().redis().command("SET", SnapshotLease.lease(DB), (token + 1) + ":other-instance", "PX",
                "60000");
        Snapshot late = new Snapshot(Instant.ofEpochMilli(2000), 0, null,
                Map.of(new StatementKey(1, 1, 1, true), new Counters(9, 2.5, 9)));
        assertThat(lease.commit(DB, token, late).await().atMost(WAIT)).as("fenced out").isFalse();
        assertThat(lease.baseline(DB).await().atMost(WAIT).snapshot()).isEqualTo(first);
    }

    @Test
    void anInstanceThatDoesNotHoldTheLeaseDoesNotSnapshot() {
        SluiceInfra.get().redis().command("SET", SnapshotLease.lease("primary"), "7:other-instance", "PX", "60000");
        SnapshotStatus s = snapshotter.snapshot("primary").await().atMost(WAIT);
        assertThat(s.lastOutcome()).isEqualTo("held by other-instance");
        assertThat(s.lastDeltas()).isZero();
    }
}
