package io.sluice.querymonitor.aggregate;

/** What one instance remembers of a fingerprint it has seen recently (bounded by an LRU). */
final class TrackedFingerprint {

    /** The normalized (masked) text, or null when only the fingerprint was reported so far. */
    String normalized;
    /** A reported statement text (may carry literal values): kept in Redis for EXPLAIN, never shown. */
    String executable;
    String executableDatabase;
    long retainedUntilMs;
    long lastSeenMs;
    boolean dirty;
}
