package io.sluice.ratelimiter.tier;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.sluice.ratelimiter.policy.Policy;

/**
 * A policy as JSON: {@code limit} requests per {@code window} seconds, {@code burst} at once (default: limit),
 * {@code shadow} to only observe. Used by the tier catalogue and by a key's overrides.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicySpec(Long limit, Long window, Long burst, Boolean shadow) {

    public static PolicySpec of(Policy p) {
        return new PolicySpec(p.limit(), p.windowSeconds(), p.burst(), p.shadow());
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public Policy toPolicy(String name) {
        if (limit == null || window == null) {
            throw new IllegalArgumentException("policy " + name + " needs limit and window (seconds)");
        }
        if (burst != null && burst > limit) {
            throw new IllegalArgumentException("policy " + name + ": burst may not exceed limit");
        }
        return new Policy(name, limit, window, burst == null ? limit : burst, Boolean.TRUE.equals(shadow));
    }
}
