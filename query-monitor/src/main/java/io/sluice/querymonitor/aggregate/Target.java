package io.sluice.querymonitor.aggregate;

import java.time.Duration;

/**
 * Where a pending aggregate goes in Redis: its hash, the bucket index it is listed in (null for verification
 * aggregates, which are read by name) and how long both live.
 */
public record Target(String hashKey, String indexKey, String member, Duration ttl) {

    public static Target bucket(String fingerprint, String database, Window.Resolution res, long bucketStart) {
        return new Target(AggregateKeys.bucket(fingerprint, database, res, bucketStart),
                AggregateKeys.index(res, bucketStart), AggregateKeys.member(fingerprint, database), res.ttl());
    }
}
