package io.sluice.partitionmanager.doctor;

import java.util.List;

/** What an evacuation did: partitions created, rows moved (and verified), rows still in the default partition. */
public record EvacuationReport(String set, List<Moved> partitions, long rowsMoved, long rowsLeftInDefault,
        List<String> notes) {

    /** One range made from the default partition's rows; {@code rows} was counted before and after the move. */
    public record Moved(String partition, String from, String to, long rows, int batches) {
    }
}
