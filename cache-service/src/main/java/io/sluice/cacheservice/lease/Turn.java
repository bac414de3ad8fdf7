package io.sluice.cacheservice.lease;

import io.sluice.cacheservice.entry.EntryReader.Found;

/**
 * What a request gets when it needs a value that is not fresh: the lease, the leaseholder's value, another's lease,
 * or (after waiting) neither in time.
 */
public sealed interface Turn {

    /** This request loads; only its token can fill the entry. */
    record Lease(String token) implements Turn {
    }

    /** Another loader's value arrived while waiting. */
    record Value(Found found) implements Turn {
    }

    /** Another loader holds the lease (before any wait). */
    record Held() implements Turn {
    }

    /** The bounded wait ended without either. */
    record TimedOut() implements Turn {
    }
}
