package io.sluice.ratelimiter.gcra;

import java.util.List;

/** The script's answer: either the per-policy states, or the key's current settings when the caller's were stale. */
public sealed interface ScriptReply {

    /** {@code change}: the Redis time (µs) of the key's last settings change or reset, 0 for none. */
    record Evaluated(boolean allowed, List<PolicyState> states, long change) implements ScriptReply {
    }

    /** Nothing was evaluated: re-resolve the policies from these settings and call again. */
    record StaleSettings(String version, String settingsJson) implements ScriptReply {
    }
}
