package io.sluice.replicarouter.sql;

import io.sluice.common.problem.ProblemException;
import io.sluice.replicarouter.ReplicaRouterProblem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The rows and bytes one request may still return, spent while rows stream in from PostgreSQL: the first row past
 * the limit fails the statement (and {@code onExceeded} cancels it on the server), so a huge result never reaches
 * the heap. Bytes are the values' text length, estimated without encoding them (numbers and times count a fixed
 * width). One request's rows arrive on one connection, in order: no locking.
 */
public final class ResultBudget {

    private static final int FIXED_WIDTH = 16;

    private final int maxRows;
    private final long maxBytes;
    private final Runnable onExceeded;
    private int rows;
    private long bytes;
    private ProblemException exceeded;

    public ResultBudget(int maxRows, long maxBytes, Runnable onExceeded) {
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.onExceeded = onExceeded;
    }

    /** A budget that never runs out, for results that are not limited (a write without RETURNING). */
    public static ResultBudget unlimited() {
        return new ResultBudget(Integer.MAX_VALUE, Long.MAX_VALUE, () -> {
        });
    }

    public void spend(Object[] values) {
        rows++;
        for (Object v : values) {
            bytes += sizeOf(v);
        }
        if (rows > maxRows) {
            throw exceeded("The result reached " + rows + " rows; at most " + maxRows
                    + " are returned. Add a LIMIT and page.");
        }
        if (bytes > maxBytes) {
            throw exceeded("The result holds more than " + maxBytes
                    + " bytes of data. Select fewer columns or page.");
        }
    }

    private ProblemException exceeded(String detail) {
        exceeded = new ProblemException(ReplicaRouterProblem.RESULT_TOO_LARGE, detail);
        onExceeded.run();
        return exceeded;
    }

    /**
     * What a statement's failure means: once the budget ran out, the answer is that, not the cancellation error
     * PostgreSQL sends for the statement the budget stopped.
     */
    public Throwable explain(Throwable failure) {
        return exceeded != null ? exceeded : failure;
    }

    private static long sizeOf(Object v) {
        if (v == null) {
            return 4;
        }
        if (v instanceof String s) {
            return s.length();
        }
        if (v instanceof Buffer b) {
            return 2 + 2L * b.length();
        }
        if (v instanceof JsonObject || v instanceof JsonArray) {
            return v.toString().length();
        }
        if (v instanceof Object[] array) {
            long size = 2;
            for (Object element : array) {
                size += sizeOf(element) + 1;
            }
            return size;
        }
        return FIXED_WIDTH;
    }
}
