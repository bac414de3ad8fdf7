package io.sluice.partitionmanager.policy;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.db.Names;

/**
 * Works out which partitions a time-partitioned table needs: the current one and {@code premake} ahead, by the
 * wall clock. Pure: it touches no database, so its output is a dry run an operator can read before applying it.
 */
@ApplicationScoped
public class PartitionPlanner {

    private final Clock clock;

    public PartitionPlanner(Clock clock) {
        this.clock = clock;
    }

    public List<PlannedPartition> plan(SqlIdentifier schema, SqlIdentifier table, Interval interval, int premake) {
        LocalDate start = interval.floor(LocalDate.now(clock));
        List<PlannedPartition> partitions = new ArrayList<>(premake + 1);
        for (int i = 0; i <= premake; i++) {
            LocalDate end = interval.next(start);
            var name = new SqlIdentifier(partitionName(table, interval, start));
            String ddl = "CREATE TABLE IF NOT EXISTS %s.%s PARTITION OF %s.%s FOR VALUES FROM ('%s') TO ('%s')"
                    .formatted(schema.quoted(), name.quoted(), schema.quoted(), table.quoted(), start, end);
            partitions.add(new PlannedPartition(name.name(), start, end, ddl));
            start = end;
        }
        return partitions;
    }

    /** table_p202611: the suffix is kept whole, so a long table name is cut, never the date. */
    public static String partitionName(SqlIdentifier table, Interval interval, LocalDate start) {
        return partitionName(table.name(), interval, start);
    }

    /** The same for a name exactly as the catalog has it (any case, cut on a character boundary). */
    public static String partitionName(String table, Interval interval, LocalDate start) {
        return Names.fit(table, "_" + interval.suffix(start));
    }
}
