package io.sluice.replicarouter.routing;

/** Why a statement went where it went; a closed set, so it can be a metric tag. */
public enum Reason {
    /** A write (or anything not provably read-only) to the primary. */
    WRITE,
    /** A read to an eligible replica. */
    READ,
    /** A read to the primary because every replica was too far behind. */
    LAG,
    /** A read to the primary because no replica had replayed the client's LSN yet. */
    LSN,
    /** A read to the primary because no replica was up. */
    FALLBACK,
    /** A read to the primary because the router knows no replica at all (a one-node setup). */
    NO_REPLICA,
    /** Where a Sluice-Route header or SQL comment said. */
    HINT,
    /** A read retried on another node after a connection failure, or a misclassified write retried on the primary. */
    RETRY;

    public String tag() {
        return name().toLowerCase().replace('_', '-');
    }
}
