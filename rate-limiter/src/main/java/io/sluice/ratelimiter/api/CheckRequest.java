package io.sluice.ratelimiter.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Asks whether {@code key} may spend {@code cost} (default 1) now; with {@code resource}, the key has a
 * separate allowance on that resource. The upper bound of cost is config (rate-limiter.max-cost).
 */
public record CheckRequest(
        @NotBlank @Pattern(regexp = ApiKeys.PATTERN, message = ApiKeys.MESSAGE) String key,
        @Min(1) Long cost,
        @Size(min = 1, max = 128) String resource) {

    public long costOrOne() {
        return cost == null ? 1 : cost;
    }
}
