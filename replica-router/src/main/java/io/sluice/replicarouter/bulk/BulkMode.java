package io.sluice.replicarouter.bulk;

/** How a bulk write commits. */
public enum BulkMode {
    /** One transaction for every chunk: all rows or none. */
    ATOMIC,
    /** Each chunk commits on its own; failed chunks are reported and the rest stay committed. */
    PER_CHUNK
}
