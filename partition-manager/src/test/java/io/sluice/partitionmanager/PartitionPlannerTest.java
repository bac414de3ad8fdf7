package io.sluice.partitionmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.PartitionPlanner;
import io.sluice.partitionmanager.policy.PlannedPartition;
import io.sluice.partitionmanager.policy.SqlIdentifier;

class PartitionPlannerTest {

    private final PartitionPlanner planner =
            new PartitionPlanner(Clock.fixed(Instant.parse("2026-11-25T13:00:00Z"), ZoneOffset.UTC));

    @Test
    void monthlyPlanStartsAtTheCurrentMonthAndRunsAhead() {
        var plan = planner.plan(new SqlIdentifier("public"), new SqlIdentifier("message"), Interval.MONTH, 2);
        assertThat(plan).extracting(PlannedPartition::name)
                .containsExactly("message_p202611", "message_p202612", "message_p202701");
        assertThat(plan.get(2).from()).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(plan.get(2).to()).isEqualTo(LocalDate.of(2027, 2, 1));
        assertThat(plan.get(0).ddl()).isEqualTo("CREATE TABLE IF NOT EXISTS \"public\".\"message_p202611\" "
                + "PARTITION OF \"public\".\"message\" FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')");
    }

    @Test
    void weeklyPartitionsAlignOnMondays() {
        var plan = planner.plan(new SqlIdentifier("public"), new SqlIdentifier("events"), Interval.WEEK, 1);
        assertThat(plan.get(0).from()).isEqualTo(LocalDate.of(2026, 11, 23));
        assertThat(plan.get(1).from()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(plan.get(0).name()).isEqualTo("events_w20261123");
    }

    @Test
    void rangesAreContiguous() {
        var plan = planner.plan(new SqlIdentifier("public"), new SqlIdentifier("d"), Interval.DAY, 40);
        for (int i = 1; i < plan.size(); i++) {
            assertThat(plan.get(i).from()).isEqualTo(plan.get(i - 1).to());
        }
    }

    @Test
    void aLongTableNameIsCutButTheDateSuffixIsKept() {
        String longName = "t".repeat(63);
        var plan = planner.plan(new SqlIdentifier("public"), new SqlIdentifier(longName), Interval.MONTH, 0);
        assertThat(plan.get(0).name()).hasSize(63).endsWith("_p202611");
    }

    @Test
    void identifiersThatCouldInjectSqlAreRefused() {
        assertThatThrownBy(() -> new SqlIdentifier("message\"; DROP TABLE x; --"))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> new SqlIdentifier("Message")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> new SqlIdentifier("a".repeat(64))).isInstanceOf(ProblemException.class);
    }
}
