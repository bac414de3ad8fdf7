package io.sluice.partitionmanager.api;

import java.util.List;

import io.sluice.partitionmanager.policy.PlannedPartition;

public record PlanResponse(String schema, String table, List<PlannedPartition> partitions) {
}
