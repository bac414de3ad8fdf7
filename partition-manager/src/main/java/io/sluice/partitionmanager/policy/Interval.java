package io.sluice.partitionmanager.policy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;

import com.fasterxml.jackson.annotation.JsonAlias;

/** A partition's time span, and how its partitions are aligned and named. */
public enum Interval {
    @JsonAlias({ "daily", "DAILY" })
    DAY("yyyyMMdd"),
    @JsonAlias({ "weekly", "WEEKLY" })
    WEEK("yyyyMMdd"),
    @JsonAlias({ "monthly", "MONTHLY" })
    MONTH("yyyyMM"),
    @JsonAlias({ "yearly", "YEARLY" })
    YEAR("yyyy");

    private final DateTimeFormatter suffix;

    Interval(String suffixPattern) {
        this.suffix = DateTimeFormatter.ofPattern(suffixPattern);
    }

    /** The start of the partition that contains {@code day}: the day, its ISO week's Monday, the 1st, or Jan 1st. */
    public LocalDate floor(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case YEAR -> day.withDayOfYear(1);
        };
    }

    public LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case YEAR -> start.plusYears(1);
        };
    }

    /** Whether a retention period keeps at least one whole interval (compared from a fixed reference day). */
    public boolean isCoveredBy(Period keep) {
        LocalDate reference = LocalDate.of(2001, 1, 1);
        return !keep.isNegative() && !reference.plus(keep).isBefore(next(reference));
    }

    public String suffix(LocalDate start) {
        return (this == WEEK ? "w" : "p") + suffix.format(start);
    }
}
