package io.sluice.ratelimiter.tier;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** Service tiers, from the most to the least restricted. */
public enum Tier {
    FREE, STANDARD, PRO, ENTERPRISE;

    /** The lower-case name used in JSON, config keys and metric tags. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tier of a name in any case, or empty for an unknown name. */
    public static Optional<Tier> parse(String name) {
        for (Tier t : values()) {
            if (t.id().equalsIgnoreCase(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
