package io.sluice.partitionmanager.conversion;

/** The verification found a difference between the old table and the twin: the conversion fails, nothing is swapped. */
final class Mismatch extends RuntimeException {

    Mismatch(String message) {
        super(message, null, false, false);
    }
}
