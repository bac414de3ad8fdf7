package io.sluice.replicarouter.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Requests' own verdict on a node, faster than probing: after {@code threshold} consecutive connection failures
 * the circuit opens and the node gets no reads for {@code openFor}; then it closes and one more failure (counted
 * from zero again) is needed to reopen it. A success closes it and resets the count.
 */
public final class CircuitBreaker {

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int failures;
    private Instant openUntil = Instant.MIN;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    public synchronized boolean isOpen() {
        return clock.instant().isBefore(openUntil);
    }

    /** @return true when this failure opened the circuit */
    public synchronized boolean failure() {
        failures++;
        if (failures >= threshold && !isOpen()) {
            openUntil = clock.instant().plus(openFor);
            failures = 0;
            return true;
        }
        return false;
    }

    public synchronized void success() {
        failures = 0;
        openUntil = Instant.MIN;
    }
}
