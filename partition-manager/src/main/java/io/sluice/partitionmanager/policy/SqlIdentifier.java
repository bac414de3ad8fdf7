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
}
