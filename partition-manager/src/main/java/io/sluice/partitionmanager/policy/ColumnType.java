package io.sluice.partitionmanager.policy;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The column types a time partition key may have, and how a partition bound is written for each. */
public enum ColumnType {
    DATE, TIMESTAMP, TIMESTAMPTZ;

    private static final DateTimeFormatter TZ = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    /** From PostgreSQL's format_type(): anything that is not a date or timestamp is empty. */
    public static Optional<ColumnType> fromCatalog(String formatted) {
        return switch (formatted) {
            case "date" -> Optional.of(DATE);
            case "timestamp without time zone" -> Optional.of(TIMESTAMP);
            case "timestamp with time zone" -> Optional.of(TIMESTAMPTZ);
            default -> Optional.empty();
        };
    }

    /** The SQL literal of the bound at the start of {@code day} in {@code zone}; generated, never user text. */
    public String boundLiteral(LocalDate day, ZoneId zone) {
        return switch (this) {
            case DATE -> "'" + day + "'";
            case TIMESTAMP -> "'" + day + " 00:00:00'";
            case TIMESTAMPTZ -> "'" + day.atTime(LocalTime.MIDNIGHT).atZone(zone).format(TZ) + "'";
        };
    }
}
