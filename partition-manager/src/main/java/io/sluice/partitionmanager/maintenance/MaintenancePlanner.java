package io.sluice.partitionmanager.maintenance;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.sluice.partitionmanager.db.Catalog.Partition;
import io.sluice.partitionmanager.policy.Bounds;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.PartitionPlanner;
import io.sluice.partitionmanager.policy.PartitionSet;
import io.sluice.partitionmanager.policy.RetentionMode;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Pure: from a set, its parent's partitions and today's date, the steps that bring it into shape. Create the
 * current partition and {@code premake} ahead, fill every gap since the oldest kept partition, retire what is past
 * retention. Nothing is planned when the set is already in shape, which is what makes maintenance idempotent.
 * Steps come in a fixed order (finalize, create ascending, retire ascending) so two runs lock in the same order.
 */
public final class MaintenancePlanner {

    /** A partition with its range as days of the set's zone. */
    public record Range(Partition partition, LocalDate from, LocalDate to) {
    }

    private MaintenancePlanner() {
    }

    public static List<Range> ranges(PartitionSet set, List<Partition> partitions) {
        return ranges(set.zone(), partitions);
    }

    /** The partitions' ranges as days of {@code zone}, ascending; default and unaligned partitions left out. */
    public static List<Range> ranges(ZoneId zone, List<Partition> partitions) {
        List<Range> ranges = new ArrayList<>();
        for (Partition p : partitions) {
            Optional<LocalDate> from = Bounds.day(p.from(), zone);
            Optional<LocalDate> to = Bounds.day(p.to(), zone);
            if (!p.isDefault() && from.isPresent() && to.isPresent()) {
                ranges.add(new Range(p, from.get(), to.get()));
            }
        }
        ranges.sort(Comparator.comparing(Range::from));
        return ranges;
    }

    public static List<Step> plan(PartitionSet set, ColumnType type, List<Partition> partitions, LocalDate today) {
        List<Step> steps = new ArrayList<>();
        boolean hasDefault = partitions.stream().anyMatch(Partition::isDefault);
        for (Partition p : partitions) {
            if (p.detachPending()) {
                steps.add(new Step(Step.Action.FINALIZE_DETACH, p.schema(), p.name(), null, null,
                        "ALTER TABLE %s DETACH PARTITION %s.%s FINALIZE".formatted(set.quotedParent(),
                                SqlIdentifier.quote(p.schema()), SqlIdentifier.quote(p.name()))));
            }
        }
        List<Range> ranges = ranges(set, partitions.stream().filter(p -> !p.detachPending()).toList());
        LocalDate cutoff = set.retention().map(r -> r.cutoff(today)).orElse(LocalDate.MIN);
        steps.addAll(creates(set, type, ranges, today, cutoff));
        set.retention().ifPresent(retention -> {
            for (Range r : ranges) {
                if (!r.to().isAfter(cutoff)) {
                    steps.addAll(retire(set, r, retention.mode(), hasDefault));
                }
            }
        });
        return steps;
    }

    private static List<Step> creates(PartitionSet set, ColumnType type, List<Range> ranges, LocalDate today,
            LocalDate cutoff) {
        var interval = set.interval();
        LocalDate current = interval.floor(today);
        LocalDate first = ranges.isEmpty() || !ranges.get(0).from().isBefore(current) ? current
                : interval.floor(ranges.get(0).from());
        LocalDate end = current;
        for (int i = 0; i <= set.premake(); i++) {
            end = interval.next(end);
        }
        List<Step> steps = new ArrayList<>();
        for (LocalDate from = first; from.isBefore(end); from = interval.next(from)) {
            LocalDate to = interval.next(from);
            if (!to.isAfter(cutoff) || overlaps(ranges, from, to)) {
                continue;
            }
            String name = PartitionPlanner.partitionName(set.table(), interval, from);
            String sql = "CREATE TABLE %s.%s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)".formatted(
                    set.schema().quoted(), SqlIdentifier.quote(name), set.quotedParent(),
                    type.boundLiteral(from, set.zone()), type.boundLiteral(to, set.zone()));
            steps.add(new Step(Step.Action.CREATE, set.schema().name(), name, from, to, sql));
        }
        return steps;
    }

    private static boolean overlaps(List<Range> ranges, LocalDate from, LocalDate to) {
        return ranges.stream().anyMatch(r -> from.isBefore(r.to()) && r.from().isBefore(to));
    }

    private static List<Step> retire(PartitionSet set, Range r, RetentionMode mode, boolean hasDefault) {
        String partition = SqlIdentifier.quote(r.partition().schema()) + "." + SqlIdentifier.quote(r.partition().name());
        String schema = r.partition().schema();
        String name = r.partition().name();
        List<Step> steps = new ArrayList<>();
        if (mode == RetentionMode.ARCHIVE) {
            steps.add(new Step(Step.Action.ARCHIVE, schema, name, r.from(), r.to(),
                    "COPY " + partition + " TO STDOUT"));
        }
        // CONCURRENTLY needs no ACCESS EXCLUSIVE lock on the parent, but PostgreSQL refuses it beside a default.
        steps.add(new Step(Step.Action.DETACH, schema, name, r.from(), r.to(),
                "ALTER TABLE %s DETACH PARTITION %s%s".formatted(set.quotedParent(), partition,
                        hasDefault ? "" : " CONCURRENTLY")));
        if (mode != RetentionMode.DETACH) {
            steps.add(new Step(Step.Action.DROP, schema, name, r.from(), r.to(), "DROP TABLE " + partition));
        }
        return steps;
    }
}
