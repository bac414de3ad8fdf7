package io.sluice.querymonitor.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import io.sluice.querymonitor.sample.Sample;

/** A batch of samples; reporters buffer and send up to 1000 at once. */
public record SamplesRequest(@NotEmpty @Size(max = 1000) List<@Valid Sample> samples) {
}
