package io.sluice.replicarouter.sql;

import java.util.Locale;
import java.util.Optional;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/** Transaction settings of a batch, from the Neon-Batch-* headers. */
public record BatchOptions(Optional<String> isolationLevel, boolean readOnly, boolean deferrable) {

    public static final BatchOptions DEFAULT = new BatchOptions(Optional.empty(), false, false);

    /** @param isolation Neon's names: ReadUncommitted, ReadCommitted, RepeatableRead, Serializable */
    public static BatchOptions fromHeaders(String isolation, String readOnly, String deferrable) {
        Optional<String> level = Optional.ofNullable(isolation).map(BatchOptions::sqlLevel);
        return new BatchOptions(level, flag("Neon-Batch-Read-Only", readOnly, false),
                flag("Neon-Batch-Deferrable", deferrable, false));
    }

    /** SET TRANSACTION for these options, or empty when the defaults apply. */
    public Optional<String> setTransaction() {
        if (isolationLevel.isEmpty() && !readOnly && !deferrable) {
            return Optional.empty();
        }
        StringBuilder sql = new StringBuilder("SET TRANSACTION");
        isolationLevel.ifPresent(l -> sql.append(" ISOLATION LEVEL ").append(l));
        sql.append(readOnly ? " READ ONLY" : " READ WRITE");
        if (deferrable) {
            sql.append(" DEFERRABLE");
        }
        return Optional.of(sql.toString());
    }

    private static String sqlLevel(String header) {
        return switch (header.trim().toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "")) {
            case "readuncommitted" -> "READ UNCOMMITTED";
            case "readcommitted" -> "READ COMMITTED";
            case "repeatableread" -> "REPEATABLE READ";
            case "serializable" -> "SERIALIZABLE";
            default -> throw new ProblemException(CommonProblem.VALIDATION_FAILED, "Neon-Batch-Isolation-Level must be "
                    + "ReadUncommitted, ReadCommitted, RepeatableRead or Serializable, not '" + header + "'");
        };
    }

    /** A true/false header; anything else is a 400 naming the header. */
    public static boolean flag(String name, String value, boolean absent) {
        if (value == null) {
            return absent;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    name + " must be true or false, not '" + value + "'");
        };
    }
}
