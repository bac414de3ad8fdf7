package io.sluice.common.sql;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/** A WAL position: PostgreSQL writes it as two hex halves, "16/B374D848"; compared as one unsigned number. */
public final class Lsn {

    private Lsn() {
    }

    public static long parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "'" + text + "' is not an LSN; expected the form 16/B374D848");
        }
        try {
            return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
        } catch (NumberFormatException e) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "'" + text + "' is not an LSN; expected the form 16/B374D848");
        }
    }

    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
