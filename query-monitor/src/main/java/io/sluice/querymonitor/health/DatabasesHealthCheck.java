package io.sluice.querymonitor.health;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.snapshot.SnapshotStatus;
import io.sluice.querymonitor.snapshot.StatementsSnapshotter;

/**
 * Per monitored database: reachable, pg_stat_statements present, age of the last snapshot. Ingest needs none of
 * them, so the check is DOWN only when no monitored database answers; a missing extension is reported, not fatal.
 */
@Readiness
@ApplicationScoped
public class DatabasesHealthCheck implements AsyncHealthCheck {

    public static final String NAME = "query-monitor-databases";
    private static final String PROBE = "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'";

    private record Probe(String database, boolean reachable, boolean extension) {
    }

    private final DatabasePools pools;
    private final StatementsSnapshotter snapshotter;
    private final Clock clock;

    public DatabasesHealthCheck(DatabasePools pools, StatementsSnapshotter snapshotter, Clock clock) {
        this.pools = pools;
        this.snapshotter = snapshotter;
        this.clock = clock;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Multi.createFrom().iterable(pools.names()).onItem().transformToUniAndMerge(db -> pools.get(db)
                .query(PROBE).execute().map(rs -> new Probe(db, true, rs.iterator().next().getLong(0) > 0))
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .onFailure().recoverWithItem(new Probe(db, false, false)))
                .collect().asList().map(this::response);
    }

    private HealthCheckResponse response(List<Probe> probes) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME)
                .status(probes.isEmpty() || probes.stream().anyMatch(Probe::reachable));
        for (Probe p : probes) {
            SnapshotStatus s = snapshotter.status().get(p.database());
            String age = s == null || s.lastSnapshot() == null ? "never"
                    : Duration.between(s.lastSnapshot(), clock.instant()).toSeconds() + "s ago";
            b.withData(p.database(), (p.reachable() ? "reachable" : "UNREACHABLE")
                    + (p.reachable() ? (p.extension() ? ", pg_stat_statements present"
                            : ", pg_stat_statements MISSING (snapshots off, ingest works)") : "")
                    + ", last snapshot " + age);
        }
        return b.build();
    }
}
