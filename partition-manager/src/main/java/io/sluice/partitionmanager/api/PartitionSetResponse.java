package io.sluice.partitionmanager.api;

import java.util.List;

import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.sets.PartitionSetView;
import io.sluice.partitionmanager.sets.PutResult;

/** PUT's answer: the set, the DDL (to run, for a dry run; run, otherwise) and the first maintenance run. */
public record PartitionSetResponse(PartitionSetView set, boolean dryRun, List<String> ddl, RunRecord run, String note) {

    public static PartitionSetResponse of(PutResult r) {
        return new PartitionSetResponse(PartitionSetView.of(r.set()), r.dryRun(), r.ddl(), r.run(), r.note());
    }
}
