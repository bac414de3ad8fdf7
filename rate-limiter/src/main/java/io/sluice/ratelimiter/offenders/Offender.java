package io.sluice.ratelimiter.offenders;

/** A key by its hash (the raw API key is never stored) and its rejected requests in the window. */
public record Offender(String keyHash, long rejected) {
}
