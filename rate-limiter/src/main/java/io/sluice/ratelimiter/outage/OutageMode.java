package io.sluice.ratelimiter.outage;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What decides for a tier while Redis is unreachable. */
public enum OutageMode {
    /** Allow everything (counted and logged). */
    FAIL_OPEN,
    /** Refuse everything with 429. */
    FAIL_CLOSED,
    /** In-memory buckets on this instance approximate the limit. */
    LOCAL;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<OutageMode> parse(String text) {
        for (OutageMode m : values()) {
            if (m.id().equalsIgnoreCase(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
