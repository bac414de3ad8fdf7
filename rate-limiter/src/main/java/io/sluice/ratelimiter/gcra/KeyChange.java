package io.sluice.ratelimiter.gcra;

/**
 * A key's change time, field {@code c} of its settings hash: the Redis time (µs) of its last settings save or counter
 * reset, never moving backwards. The decision script returns it with every answer and each change is announced with
 * it, so an instance can tell a refusal decided before a change from one decided after it.
 */
public final class KeyChange {

    /**
     * Lua, ending the script that makes a change, after {@code local settings = <the settings hash key>}. Returns the
     * new change time. A hash that holds only the change (no operator settings) expires after a day: configuration
     * never does.
     */
    public static final String BUMP = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local old = tonumber(redis.call('HGET', settings, 'c') or '0')
            if now <= old then now = old + 1 end
            local c = string.format('%.0f', now)
            redis.call('HSET', settings, 'c', c)
            if redis.call('HEXISTS', settings, 'v') == 1 then redis.call('PERSIST', settings)
            else redis.call('PEXPIRE', settings, 86400000) end
            return c""";

    private KeyChange() {
    }
}
