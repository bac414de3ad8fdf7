package io.sluice.querymonitor.api;

/** How many samples were taken in, and how many of them were slow. */
public record SamplesResponse(int accepted, int slow) {
}
