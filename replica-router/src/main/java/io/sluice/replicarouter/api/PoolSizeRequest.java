package io.sluice.replicarouter.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The new number of connections of one node's pool. */
public record PoolSizeRequest(@NotNull @Min(1) @Max(1000) Integer maxSize) {
}
