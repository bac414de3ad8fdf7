package io.sluice.cacheservice.entry;

/** A value-API read: the envelope (null on a miss), how it was obtained, and a lease token when the caller should fill. */
public record ValueAnswer(Envelope envelope, CacheStatus status, String lease) {
}
