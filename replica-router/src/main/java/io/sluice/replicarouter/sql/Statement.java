package io.sluice.replicarouter.sql;

import java.util.List;
import java.util.Set;

import io.sluice.common.sql.Classification;

/**
 * A statement to run: its SQL, its parameters as text (null for SQL NULL) and its shape (classification, the
 * tables it writes for the invalidation stream, what it may leave on its connection).
 */
public record Statement(String sql, List<String> params, StatementShapes.Shape shape) {

    public Classification classification() {
        return shape.classification();
    }

    public Set<String> writtenTables() {
        return shape.writtenTables();
    }

    /** One statement, not several separated by semicolons. */
    public boolean isSingle() {
        return !"multiple statements".equals(classification().reason());
    }

    /** The command tag's first word as PostgreSQL would report it for this statement. */
    public String commandTag() {
        Classification classification = classification();
        String command = classification.command();
        return switch (command) {
            case "VALUES", "TABLE" -> "SELECT";
            case "WITH" -> classification.readOnly() || !classification.reason().startsWith("data-modifying ")
                    ? "SELECT"
                    : classification.reason().substring("data-modifying ".length()).toUpperCase();
            default -> command;
        };
    }
}
