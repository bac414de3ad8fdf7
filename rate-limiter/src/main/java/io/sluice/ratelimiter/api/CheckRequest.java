package io.sluice.ratelimiter.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Asks whether {@code key} may spend {@code cost} requests now (cost defaults to 1). */
public record CheckRequest(
        @NotBlank @Size(max = 256) String key,
        @Min(1) @Max(1000) Integer cost) {

    public int costOrOne() {
        return cost == null ? 1 : cost;
    }
}
