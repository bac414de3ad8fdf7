package io.sluice.replicarouter.api;

import jakarta.validation.constraints.NotBlank;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.sluice.replicarouter.failover.FailoverOrder;

/**
 * Promote {@code promote}. Refused while the old primary still answers unless {@code force}; {@code dry_run}
 * only reports what would happen (the monthly drill, RB-4).
 */
public record FailoverRequest(@NotBlank String promote, Boolean force,
        @JsonProperty("dry_run") Boolean dryRun) {

    public boolean forced() {
        return Boolean.TRUE.equals(force);
    }

    public boolean dry() {
        return Boolean.TRUE.equals(dryRun);
    }

    public FailoverOrder toOrder() {
        return new FailoverOrder(promote, forced(), dry());
    }
}
