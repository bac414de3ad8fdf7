package io.sluice.querymonitor.aggregate;

/**
 * Redis key names. A fingerprint's keys share the hash tag {fp}, so they live on one Cluster slot; the per-bucket
 * index of members ("fingerprint|database" scored by total time) is one key per bucket.
 */
public final class AggregateKeys {

    public static final String PREFIX = "sluice:querymonitor:";

    private AggregateKeys() {
    }

    public static String bucket(String fingerprint, String database, Window.Resolution res, long bucketStart) {
        return PREFIX + "{" + fingerprint + "}:agg:" + database + ":" + res.code() + ":" + bucketStart;
    }

    public static String index(Window.Resolution res, long bucketStart) {
        return PREFIX + "index:" + res.code() + ":" + bucketStart;
    }

    public static String meta(String fingerprint) {
        return PREFIX + "{" + fingerprint + "}:meta";
    }

    public static String retainedSample(String fingerprint) {
        return PREFIX + "{" + fingerprint + "}:sample";
    }

    public static String member(String fingerprint, String database) {
        return fingerprint + "|" + database;
    }
}
