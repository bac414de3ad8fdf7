package io.sluice.replicarouter.pgwire;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.sluice.common.sql.Classification.RouteHint;
import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.Token;
import io.sluice.replicarouter.sql.StatementShapes;

/**
 * What a client's SQL text asks of the listener, outside a transaction: whether it may run on a replica, whether it
 * may leave state on its server connection (which is then reset before going back), whether it starts a transaction,
 * whether it is a session {@code SET} the listener tracks (the client's session parameters change, and server
 * connections are matched by them, opened with them in the startup message), or other session state that pins the client to its server connection.
 *
 * @param setting for a tracked {@code SET name = value}: the name and value, else null
 */
record StatementIntent(boolean readOnly, Optional<RouteHint> hint, boolean dirty, boolean pinsSession,
        String[] setting) {

    private static final List<String> TRANSACTION_CONTROL = List.of("begin", "start", "commit", "end", "abort",
            "rollback", "savepoint", "release");

    static StatementIntent of(String sql, StatementShapes.Shape shape) {
        var c = shape.classification();
        List<Token> tokens = SqlLexer.tokenize(sql).stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        String first = tokens.isEmpty() || tokens.get(0).kind() != Token.Kind.WORD ? "" : tokens.get(0).lower();
        if (tokens.isEmpty()) {
            // An empty query: PostgreSQL answers EmptyQueryResponse; any node will do.
            return new StatementIntent(true, c.hint(), false, false, null);
        }
        boolean multiple = "multiple statements".equals(c.reason());
        if (!multiple && (first.equals("begin") || first.equals("start"))) {
            return new StatementIntent(readOnlyTransaction(tokens), c.hint(), false, false, null);
        }
        if (!multiple && TRANSACTION_CONTROL.contains(first)) {
            return new StatementIntent(false, c.hint(), false, false, null);
        }
        if (!multiple) {
            String[] setting = trackedSet(tokens);
            if (setting != null) {
                // The client's parameters change; the connection it ran on is reset to its own afterwards.
                return new StatementIntent(true, c.hint(), true, false, setting);
            }
            if (shape.single().refused()) {
                return new StatementIntent(false, c.hint(), true, true, null);
            }
        }
        // Several statements in one string may hide anything (a SET, a LISTEN, a temp table): reset after them.
        return new StatementIntent(c.readOnly(), c.hint(), multiple || shape.single().needsReset(), false, null);
    }

    /** START TRANSACTION / BEGIN with READ ONLY among its modes. */
    private static boolean readOnlyTransaction(List<Token> tokens) {
        boolean readOnly = false;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isWord("read")) {
                readOnly = tokens.get(i + 1).isWord("only");
            }
        }
        return readOnly;
    }

    /**
     * {@code SET [SESSION] name {= | TO} value[, value...]} with plain values: the name (lower case) and the value
     * as the server would take it in a startup message. Anything else (SET ROLE, SET LOCAL, expressions) is null.
     */
    static String[] trackedSet(List<Token> tokens) {
        int i = 0;
        if (tokens.size() < 4 || !tokens.get(i++).isWord("set")) {
            return null;
        }
        if (tokens.get(i).isWord("session") && !tokens.get(i + 1).isWord("authorization")
                && !tokens.get(i + 1).isWord("characteristics")) {
            i++;
        }
        Token name = tokens.get(i++);
        String n = name.lower();
        if (name.kind() != Token.Kind.WORD || List.of("local", "role", "transaction", "constraints", "time",
                "names", "session", "authorization", "schema").contains(n)) {
            return null;
        }
        while (i + 1 < tokens.size() && tokens.get(i).text().equals(".") && tokens.get(i + 1).kind() == Token.Kind.WORD) {
            n = n + "." + tokens.get(i + 1).lower();
            i += 2;
        }
        if (i >= tokens.size() || !(tokens.get(i).text().equals("=") || tokens.get(i).isWord("to"))) {
            return null;
        }
        i++;
        StringBuilder value = new StringBuilder();
        boolean expectValue = true;
        for (; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.SEMICOLON && i == tokens.size() - 1) {
                break;
            }
            if (expectValue && (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.NUMBER)) {
                if (t.isWord("default")) {
                    return null;
                }
                value.append(value.length() == 0 ? "" : ",").append(t.text());
            } else if (expectValue && t.kind() == Token.Kind.STRING && t.text().startsWith("'")) {
                String raw = t.text().substring(1, t.text().length() - 1).replace("''", "'");
                value.append(value.length() == 0 ? "" : ",").append(raw);
            } else if (!expectValue && t.text().equals(",")) {
                expectValue = true;
                continue;
            } else {
                return null;
            }
            expectValue = false;
        }
        if (expectValue || value.length() == 0 || value.indexOf("\0") >= 0) {
            return null;
        }
        return new String[] { n.toLowerCase(Locale.ROOT), value.toString() };
    }
}
