package io.sluice.replicarouter.wire;

import java.util.List;

/**
 * One statement's result in Neon's SQL-over-HTTP shape. {@code rows} holds arrays when {@code rowAsArray}, else
 * objects keyed by column name; values are PostgreSQL text or null.
 */
public record QueryResult(String command, Integer rowCount, List<Object> rows, List<Field> fields,
        boolean rowAsArray) implements SqlResponse {

    /** A column, as node-postgres describes it. tableID/columnID are 0: the reactive client does not expose them. */
    public record Field(String name, int dataTypeID, int tableID, int columnID, int dataTypeSize,
            int dataTypeModifier, String format) {

        public static Field of(String name, int oid) {
            return new Field(name, oid, 0, 0, -1, -1, "text");
        }
    }
}
