package io.sluice.partitionmanager.policy;

import java.util.regex.Pattern;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/**
 * A lower-case SQL identifier checked against a whitelist pattern before it is ever formatted into DDL
 * (identifiers cannot be bind parameters), and always emitted quoted.
 */
public record SqlIdentifier(String name) {

    private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public SqlIdentifier {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "'" + name + "' is not a valid identifier: use " + VALID.pattern());
        }
    }

    public String quoted() {
        return '"' + name + '"';
    }

    /** Quotes a name read from the catalog (already a real object, so any spelling is allowed, but escaped). */
    public static String quote(String catalogName) {
        return '"' + catalogName.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.table} from a path segment; a bare name means {@code public}. */
    public static SqlIdentifier[] qualified(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length == 1) {
            return new SqlIdentifier[] { new SqlIdentifier("public"), new SqlIdentifier(parts[0]) };
        }
        if (parts.length != 2) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "'" + text + "' is not schema.table");
        }
        return new SqlIdentifier[] { new SqlIdentifier(parts[0]), new SqlIdentifier(parts[1]) };
    }
}
