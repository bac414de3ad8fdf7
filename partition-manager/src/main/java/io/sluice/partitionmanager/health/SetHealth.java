package io.sluice.partitionmanager.health;

import java.time.LocalDate;
import java.util.List;

import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.sets.PartitionSetView;

/**
 * A set's health: runway (future partitions present beyond the current one, against premake), the gaps between the
 * oldest and newest partition, rows in the default partition (counted up to a cap), the last run, and per partition
 * its size and row estimate.
 */
public record SetHealth(PartitionSetView set, boolean tablePresent, int runway, int premake, boolean runwayOk,
        List<Gap> gaps, long defaultRows, boolean defaultRowsCapped, RunRecord lastRun, List<PartitionInfo> partitions) {

    public record Gap(LocalDate from, LocalDate to) {
    }

    public record PartitionInfo(String name, String from, String to, boolean isDefault, long bytes, long rowEstimate) {
    }
}
