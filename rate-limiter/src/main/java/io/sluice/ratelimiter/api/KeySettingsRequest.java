package io.sluice.ratelimiter.api;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.sluice.ratelimiter.tier.PolicySpec;

/** An operator's settings for a key: its tier, and policy overrides by name (null removes the tier's policy). */
public record KeySettingsRequest(@NotBlank String tier, @Size(max = 16) Map<String, PolicySpec> overrides) {
}
