package io.sluice.replicarouter.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.Classification.RouteHint;

/** The Sluice-* request headers POST /sql and POST /v1/bulk share; a bad value is a 400 naming the header. */
final class SqlHeaders {

    private SqlHeaders() {
    }

    /** Milliseconds ("2500") or a duration ("5s", "500ms"), from 1 ms up to {@code max}. */
    static Duration timeout(String value, Duration max) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            d = v.matches("\\d+") ? Duration.ofMillis(Long.parseLong(v))
                    : v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                    : v.endsWith("s") ? Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)))
                    : null;
        } catch (NumberFormatException e) {
            d = null;
        }
        if (d == null || d.isZero() || d.isNegative() || d.compareTo(max) > 0) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED, "Sluice-Statement-Timeout must be 1 ms to "
                    + max.toMillis() + " ms (e.g. 2500, 500ms or 5s), not '" + value + "'");
        }
        return d;
    }

    static Optional<RouteHint> routeHint(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "primary" -> Optional.of(RouteHint.PRIMARY);
            case "replica" -> Optional.of(RouteHint.REPLICA);
            default -> throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "Sluice-Route must be primary or replica, not '" + value + "'");
        };
    }
}
