package io.sluice.cacheservice.redis;

/** A Redis command failed or timed out: the caller bypasses the cache. */
public class RedisUnavailable extends RuntimeException {

    public RedisUnavailable(Throwable cause) {
        super("Redis unavailable: " + cause.getMessage(), cause, false, false);
    }
}
