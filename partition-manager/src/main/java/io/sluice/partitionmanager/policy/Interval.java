package io.sluice.partitionmanager.policy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;

/** A partition's time span, and how its partitions are aligned and named. */
public enum Interval {
    DAY("yyyyMMdd"), WEEK("yyyyMMdd"), MONTH("yyyyMM");

    private final DateTimeFormatter suffix;

    Interval(String suffixPattern) {
        this.suffix = DateTimeFormatter.ofPattern(suffixPattern);
    }

    /** The start of the partition that contains {@code day}: the day, its ISO week's Monday, or the 1st. */
    public LocalDate floor(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    public LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }

    public String suffix(LocalDate start) {
        return (this == WEEK ? "w" : "p") + suffix.format(start);
    }
}
