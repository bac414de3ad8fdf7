package io.sluice.partitionmanager.policy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads a partition bound as PostgreSQL prints it (date, timestamp or timestamptz) into a day of the set's zone. */
public final class Bounds {

    private Bounds() {
    }

    /** Empty when the bound is not midnight-aligned or not a time at all: such partitions are left alone. */
    public static Optional<LocalDate> day(String literal, ZoneId zone) {
        if (literal == null) {
            return Optional.empty();
        }
        String iso = literal.trim().replace(' ', 'T');
        try {
            if (iso.length() == 10) {
                return Optional.of(LocalDate.parse(iso));
            }
            if (iso.matches(".*[+-]\\d\\d$")) {
                iso = iso + ":00";
            }
            if (iso.matches(".*([+-]\\d\\d:\\d\\d|Z)$")) {
                var local = OffsetDateTime.parse(iso).atZoneSameInstant(zone).toLocalDateTime();
                return midnight(local);
            }
            return midnight(LocalDateTime.parse(iso));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> midnight(LocalDateTime t) {
        return t.toLocalTime().toSecondOfDay() == 0 && t.getNano() == 0 ? Optional.of(t.toLocalDate()) : Optional.empty();
    }
}
