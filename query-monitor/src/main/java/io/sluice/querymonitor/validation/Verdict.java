package io.sluice.querymonitor.validation;

import com.fasterxml.jackson.annotation.JsonValue;

/** A target's verdict: unknown when the figure could not be measured (no traffic yet, a service unreachable). */
public enum Verdict {
    PASS, FAIL, UNKNOWN;

    @JsonValue
    public String label() {
        return name().toLowerCase();
    }
}
