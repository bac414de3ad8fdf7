package io.sluice.partitionmanager.sets;

import java.util.List;

import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.policy.PartitionSet;

/**
 * What declaring a set did: the DDL (to run, for a dry run; run, otherwise), the first maintenance run (null for a
 * dry run, or when maintenance runs elsewhere, which {@code note} then says).
 */
public record PutResult(PartitionSet set, boolean dryRun, List<String> ddl, RunRecord run, String note) {
}
