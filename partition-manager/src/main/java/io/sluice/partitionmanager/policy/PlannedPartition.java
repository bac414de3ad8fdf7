package io.sluice.partitionmanager.policy;

import java.time.LocalDate;

/** One partition to create: its name, its range [from, to) and the DDL that would create it. */
public record PlannedPartition(String name, LocalDate from, LocalDate to, String ddl) {
}
