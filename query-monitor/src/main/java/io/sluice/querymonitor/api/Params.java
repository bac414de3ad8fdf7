package io.sluice.querymonitor.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.FieldError;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.query.SortBy;

/** Query parameter parsing shared by the resources: every bad value is a 400 naming the parameter. */
final class Params {

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,63}");

    private Params() {
    }

    static Window window(String value) {
        return Window.parse(value).orElseThrow(() -> bad("window", "one of 1m, 5m, 1h, 24h"));
    }

    static SortBy sort(String value) {
        return SortBy.parse(value).orElseThrow(() -> bad("sort", "one of total, mean, p95, calls"));
    }

    static int limit(int value, int max) {
        if (value < 1 || value > max) {
            throw bad("limit", "between 1 and " + max);
        }
        return value;
    }

    static Optional<String> database(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (!NAME.matcher(value).matches()) {
            throw bad("database", "a name matching " + NAME.pattern());
        }
        return Optional.of(value);
    }

    /** A name among the configured databases. */
    static String configuredDatabase(String value, String fallback, Set<String> configured) {
        String name = value == null || value.isEmpty() ? fallback : value;
        if (!configured.contains(name)) {
            throw bad("database", "one of the configured databases " + configured);
        }
        return name;
    }

    static String fingerprint(String value) {
        if (value == null || !FINGERPRINT.matcher(value).matches()) {
            throw bad("fingerprint", "16 lower-case hex digits");
        }
        return value;
    }

    static ProblemException bad(String field, String expected) {
        return new ProblemException(CommonProblem.VALIDATION_FAILED, field + " must be " + expected)
                .withErrors(List.of(new FieldError(field, "must be " + expected)));
    }
}
