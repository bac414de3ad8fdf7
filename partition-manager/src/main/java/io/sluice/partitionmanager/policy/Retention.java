package io.sluice.partitionmanager.policy;

import java.time.LocalDate;
import java.time.Period;

/** How long partitions are kept, and what happens to older ones. */
public record Retention(Period keep, RetentionMode mode) {

    /** A partition whose upper bound is on or before this day holds only expired data. */
    public LocalDate cutoff(LocalDate today) {
        return today.minus(keep);
    }
}
