package io.sluice.cacheservice.warm;

/** A warming job's progress as any instance reads it (kept in Redis for an hour). */
public record WarmProgress(String id, String state, int total, int processed, int loaded, int alreadyWarm,
        int skipped, int failed, int batches) {
}
