package io.sluice.common.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a statement is read-only, i.e. safe on a hot standby inside a read-only transaction.
 * Conservative by design: anything it cannot prove read-only is a write, since a read sent to the primary is only
 * slower, while a write sent to a replica fails. Read-only means: SELECT / VALUES / TABLE / WITH without a
 * data-modifying CTE, without a locking clause (FOR UPDATE/SHARE), without SELECT INTO and without a call to a
 * function with side effects; SHOW; and EXPLAIN without ANALYZE.
 */
public final class SqlClassifier {

    /** Functions that write, take locks or depend on session state that a replica cannot give. */
    public static final Set<String> DEFAULT_SIDE_EFFECT_FUNCTIONS = Set.of(
            "nextval", "setval", "currval", "lastval", "set_config", "pg_notify", "txid_current",
            "pg_current_xact_id", "pg_switch_wal", "pg_create_restore_point", "lo_create", "lo_creat",
            "lo_import", "lo_unlink", "lo_put", "lo_from_bytea", "lo_truncate");

    private static final Set<String> SIDE_EFFECT_PREFIXES = Set.of("pg_advisory_", "pg_try_advisory_");
    private static final Set<String> READ_STATEMENTS = Set.of("select", "values", "table", "with");
    private static final Set<String> DATA_MODIFYING = Set.of("insert", "update", "delete", "merge");
    private static final Pattern HINT = Pattern.compile("sluice:route\\s*=\\s*(primary|replica)",
            Pattern.CASE_INSENSITIVE);

    private final Set<String> sideEffectFunctions;

    /** @param extraSideEffectFunctions lower-case names added to {@link #DEFAULT_SIDE_EFFECT_FUNCTIONS} */
    public SqlClassifier(Set<String> extraSideEffectFunctions) {
        var all = new java.util.HashSet<>(DEFAULT_SIDE_EFFECT_FUNCTIONS);
        extraSideEffectFunctions.forEach(f -> all.add(f.toLowerCase(Locale.ROOT)));
        this.sideEffectFunctions = Set.copyOf(all);
    }

    public Classification classify(String sql) {
        List<Token> all = SqlLexer.tokenize(sql);
        Optional<Classification.RouteHint> hint = hintOf(all);
        List<Token> tokens = all.stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        Token first = tokens.stream().filter(t -> t.kind() == Token.Kind.WORD).findFirst().orElse(null);
        String command = first == null ? "" : first.text().toUpperCase(Locale.ROOT);
        if (first == null) {
            return new Classification(false, command, "no statement keyword", hint);
        }
        if (statementCount(tokens) > 1) {
            return new Classification(false, command, "multiple statements", hint);
        }
        String keyword = first.lower();
        if (keyword.equals("show")) {
            return new Classification(true, command, "show", hint);
        }
        if (keyword.equals("explain")) {
            boolean analyze = tokens.stream().anyMatch(t -> t.isWord("analyze") || t.isWord("analyse"));
            return analyze ? new Classification(false, command, "explain analyze executes the statement", hint)
                    : new Classification(true, command, "explain", hint);
        }
        if (!READ_STATEMENTS.contains(keyword)) {
            return new Classification(false, command, "statement type " + keyword, hint);
        }
        String why = writeReason(tokens);
        return why == null ? new Classification(true, command, "read-only " + keyword, hint)
                : new Classification(false, command, why, hint);
    }

    /** Why a SELECT/WITH/VALUES/TABLE statement is not read-only after all, or null when it is. */
    private String writeReason(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.WORD && DATA_MODIFYING.contains(t.lower()) && !isAfterFor(tokens, i)) {
                return "data-modifying " + t.lower();
            }
            if (t.isWord("for") && i + 1 < tokens.size() && isLockStrength(tokens, i + 1)) {
                return "locking clause";
            }
            if (t.isWord("into")) {
                return "select into";
            }
            if (isFunctionCall(tokens, i)) {
                String name = functionName(t);
                if (sideEffectFunctions.contains(name) || SIDE_EFFECT_PREFIXES.stream().anyMatch(name::startsWith)) {
                    return "side-effect function " + name;
                }
            }
        }
        return null;
    }

    /** "FOR UPDATE" is a lock, not a DML statement; it is reported as a locking clause instead. */
    private static boolean isAfterFor(List<Token> tokens, int i) {
        return i > 0 && (tokens.get(i - 1).isWord("for") || tokens.get(i - 1).isWord("key")
                || tokens.get(i - 1).isWord("no"));
    }

    private static boolean isLockStrength(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        return t.isWord("update") || t.isWord("share") || t.isWord("no") || t.isWord("key");
    }

    private static boolean isFunctionCall(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        return (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER)
                && i + 1 < tokens.size() && tokens.get(i + 1).text().equals("(");
    }

    private static String functionName(Token t) {
        return t.kind() == Token.Kind.QUOTED_IDENTIFIER
                ? t.text().substring(1, t.text().length() - 1).replace("\"\"", "\"")
                : t.lower();
    }

    private static int statementCount(List<Token> tokens) {
        int count = 0;
        boolean inStatement = false;
        for (Token t : tokens) {
            if (t.kind() == Token.Kind.SEMICOLON) {
                inStatement = false;
            } else if (!inStatement) {
                inStatement = true;
                count++;
            }
        }
        return count;
    }

    private static Optional<Classification.RouteHint> hintOf(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.kind() == Token.Kind.COMMENT) {
                Matcher m = HINT.matcher(t.text());
                if (m.find()) {
                    return Optional.of(Classification.RouteHint.valueOf(m.group(1).toUpperCase(Locale.ROOT)));
                }
            }
        }
        return Optional.empty();
    }
}
