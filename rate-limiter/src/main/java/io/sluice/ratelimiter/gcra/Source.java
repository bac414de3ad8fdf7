package io.sluice.ratelimiter.gcra;

import java.util.Locale;

/** Where a decision came from; a response header and a metric tag. */
public enum Source {
    /** The GCRA script in Redis. */
    REDIS,
    /** The in-process cache of keys known to be over their limit (an earlier Redis answer). */
    HOT_CACHE,
    /** In-memory buckets on this instance, while Redis is down. */
    LOCAL,
    /** Redis is down and the tier fails open: allowed without counting. */
    FAIL_OPEN,
    /** Redis is down and the tier fails closed: refused. */
    FAIL_CLOSED;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
