package io.sluice.partitionmanager.api;

import java.util.List;

import io.sluice.partitionmanager.maintenance.RunRecord;

/** PUT's answer: the set, the DDL (to run, for a dry run; run, otherwise) and the first maintenance run. */
public record PartitionSetResponse(PartitionSetView set, boolean dryRun, List<String> ddl, RunRecord run, String note) {
}
