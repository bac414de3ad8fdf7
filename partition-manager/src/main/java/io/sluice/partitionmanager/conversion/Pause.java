package io.sluice.partitionmanager.conversion;

/** The throttle between batches: conversions run on their own threads, never on an event loop. */
final class Pause {

    private Pause() {
    }

    static void of(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
