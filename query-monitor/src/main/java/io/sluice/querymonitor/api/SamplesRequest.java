package io.sluice.querymonitor.api;

import java.util.List;

import io.sluice.querymonitor.sample.Sample;

/** A batch of samples; reporters buffer and send up to 1000 at once. Checked whole by SampleValidator. */
public record SamplesRequest(List<Sample> samples) {
}
