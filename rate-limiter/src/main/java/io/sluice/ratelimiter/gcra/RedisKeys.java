package io.sluice.ratelimiter.gcra;

import io.sluice.common.hash.Hashes;

/**
 * The rate limiter's Redis keys. API keys are secrets: Redis only sees a hash of them. The {hash tag} keeps
 * one key's state and settings in one slot, so the script works on Redis Cluster.
 */
public final class RedisKeys {

    private static final String PREFIX = "sluice:ratelimiter:";

    private RedisKeys() {
    }

    /** 32 hex characters of SHA-256 of the API key. */
    public static String hash(String apiKey) {
        return Hashes.sha256Hex(apiKey, 16);
    }

    /** The counters of a key, or of a key on one resource (each resource then has its own allowance). */
    public static String state(String keyHash, String resource) {
        String base = PREFIX + "{" + keyHash + "}:gcra";
        return resource == null ? base : base + ":" + Hashes.sha256Hex(resource, 8);
    }

    public static String settings(String keyHash) {
        return PREFIX + "{" + keyHash + "}:settings";
    }

    /** The tier catalogue as changed through the operator API (absent: the config's defaults). */
    public static String catalogue() {
        return PREFIX + "catalogue";
    }

    /** Pub/sub channel that announces a saved catalogue's version to every instance. */
    public static String catalogueChannel() {
        return catalogue() + ":changed";
    }

    /** Pub/sub channel announcing a key's settings change or counter reset: "<key hash> <change time>". */
    public static String keyChangesChannel() {
        return PREFIX + "keys:changed";
    }

    /** Rejections per key in one minute (epoch minute), one slot for all so ZUNION works on a cluster. */
    public static String offenders(long epochMinute) {
        return PREFIX + "{offenders}:" + epochMinute;
    }
}
