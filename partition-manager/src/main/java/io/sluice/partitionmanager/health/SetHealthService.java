package io.sluice.partitionmanager.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.maintenance.MaintenancePlanner;
import io.sluice.partitionmanager.maintenance.MaintenancePlanner.Range;
import io.sluice.partitionmanager.maintenance.RunRepository;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.policy.SqlIdentifier;
import io.sluice.partitionmanager.sets.PartitionSetRepository;
import io.sluice.partitionmanager.sets.PartitionSetView;

/** Computes set health from the catalog and the clock, and publishes it as gauges. Blocking: on workers. */
@ApplicationScoped
public class SetHealthService {

    /** Rows in a default partition are counted up to this many, so a health check never scans a huge table. */
    static final long DEFAULT_ROWS_CAP = 1_000_000;

    private final DataSource dataSource;
    private final Catalog catalog;
    private final PartitionSetRepository sets;
    private final RunRepository runs;
    private final PartitionManagerMetrics metrics;
    private final Clock clock;

    public SetHealthService(DataSource dataSource, Catalog catalog, PartitionSetRepository sets, RunRepository runs,
            PartitionManagerMetrics metrics, Clock clock) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.sets = sets;
        this.runs = runs;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Every set's health; refreshes the per-set gauges as a side effect. */
    public List<SetHealth> all() throws SQLException {
        List<SetHealth> all = new ArrayList<>();
        for (PartitionSet set : sets.all()) {
            all.add(of(set));
        }
        metrics.publish(all.stream().map(h -> new PartitionManagerMetrics.SetFigures(h.set().name(), h.runway(),
                h.gaps().size(), h.defaultRows(), h.partitions().size(),
                h.partitions().stream().mapToLong(SetHealth.PartitionInfo::bytes).sum())).toList());
        return all;
    }

    public SetHealth of(PartitionSet set) throws SQLException {
        var view = PartitionSetView.of(set);
        var lastRun = runs.list(set.qualifiedName(), null, 1).stream().findFirst().orElse(null);
        try (Connection c = dataSource.getConnection()) {
            var table = catalog.table(c, set.schema().name(), set.table().name());
            if (table.isEmpty() || !table.get().partitioned()) {
                return new SetHealth(view, false, 0, set.premake(), false, List.of(), 0, false, lastRun, List.of());
            }
            var partitions = catalog.partitions(c, table.get().oid());
            List<Range> ranges = MaintenancePlanner.ranges(set, partitions);
            int runway = runway(set.interval(), ranges, LocalDate.now(clock.withZone(set.zone())));
            long defaultRows = 0;
            List<SetHealth.PartitionInfo> infos = new ArrayList<>();
            for (var p : partitions) {
                if (p.isDefault()) {
                    defaultRows = countCapped(c, p.schema(), p.name());
                }
                infos.add(info(c, p));
            }
            return new SetHealth(view, true, runway, set.premake(), runway >= 1, gaps(set.interval(), ranges),
                    defaultRows, defaultRows >= DEFAULT_ROWS_CAP, lastRun, infos);
        }
    }

    /** Whole partitions present, without a hole, after the one holding today. */
    static int runway(Interval interval, List<Range> ranges, LocalDate today) {
        LocalDate covered = interval.floor(today);
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Range r : ranges) {
                if (!r.from().isAfter(covered) && r.to().isAfter(covered)) {
                    covered = r.to();
                    moved = true;
                }
            }
        }
        int runway = 0;
        for (LocalDate slot = interval.next(interval.floor(today)); !interval.next(slot).isAfter(covered)
                && runway < 10_000; slot = interval.next(slot)) {
            runway++;
        }
        return runway;
    }

    static List<SetHealth.Gap> gaps(Interval interval, List<Range> ranges) {
        List<SetHealth.Gap> gaps = new ArrayList<>();
        for (int i = 1; i < ranges.size(); i++) {
            LocalDate end = ranges.subList(0, i).stream().map(Range::to).max(LocalDate::compareTo).orElseThrow();
            if (ranges.get(i).from().isAfter(end)) {
                gaps.add(new SetHealth.Gap(end, ranges.get(i).from()));
            }
        }
        return gaps;
    }

    private static long countCapped(Connection c, String schema, String name) throws SQLException {
        String sql = "SELECT count(*) FROM (SELECT 1 FROM %s.%s LIMIT %d) x".formatted(SqlIdentifier.quote(schema),
                SqlIdentifier.quote(name), DEFAULT_ROWS_CAP);
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static SetHealth.PartitionInfo info(Connection c, Catalog.Partition p) throws SQLException {
        try (var st = c.prepareStatement("""
                SELECT pg_total_relation_size(c.oid), greatest(c.reltuples, 0)::bigint FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?""")) {
            st.setString(1, p.schema());
            st.setString(2, p.name());
            try (var rs = st.executeQuery()) {
                rs.next();
                return new SetHealth.PartitionInfo(p.name(), p.from(), p.to(), p.isDefault(), rs.getLong(1), rs.getLong(2));
            }
        }
    }
}
