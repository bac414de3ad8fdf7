package io.sluice.querymonitor.explain;

import java.util.List;
import java.util.Set;

import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.Token;

/**
 * A masked text ({@code SqlNormalizer} output: every value is {@code ?}) turned back into a statement PostgreSQL can
 * PREPARE: each {@code ?} placeholder becomes {@code $1..$n}. The lexer keeps {@code ?} inside strings, quoted
 * identifiers and comments as they are. A typed literal ({@code interval '1 day'}, masked to {@code interval ?})
 * becomes a cast ({@code $n::interval}), the only form a parameter can take there.
 */
public record MaskedStatement(String sql, int parameters) {

    /** Type names that may precede a string literal (PostgreSQL's "type 'string'" syntax). */
    private static final Set<String> TYPED_LITERAL = Set.of("date", "time", "timetz", "timestamp", "timestamptz",
            "interval", "uuid", "json", "jsonb", "inet", "cidr", "numeric", "text", "bool", "boolean", "int",
            "integer", "int2", "int4", "int8", "bigint", "smallint", "float4", "float8");

    public static MaskedStatement of(String masked) {
        List<Token> tokens = SqlLexer.tokenize(masked);
        StringBuilder out = new StringBuilder(masked.length() + 16);
        int copied = 0;
        int n = 0;
        Token previous = null;
        for (Token t : tokens) {
            // The normalizer writes "?" alone, or glued to a following cast ("?::int" lexes as one operator).
            boolean placeholder = t.kind() == Token.Kind.SYMBOL
                    && (t.text().equals("?") || t.text().startsWith("?::"));
            if (placeholder) {
                n++;
                boolean typed = previous != null && previous.kind() == Token.Kind.WORD
                        && TYPED_LITERAL.contains(previous.lower()) && !previousIsCast(tokens, previous);
                int from = typed ? previous.start() : t.start();
                out.append(masked, copied, from).append('$').append(n);
                if (typed) {
                    out.append("::").append(previous.lower());
                }
                out.append(t.text(), 1, t.text().length());
                copied = t.start() + t.text().length();
            }
            if (t.kind() != Token.Kind.COMMENT) {
                previous = t;
            }
        }
        out.append(masked, copied, masked.length());
        return new MaskedStatement(out.toString(), n);
    }

    /** "x::date ?" is no typed literal: the word is the target of a cast. */
    private static boolean previousIsCast(List<Token> tokens, Token word) {
        int i = tokens.indexOf(word);
        return i > 0 && tokens.get(i - 1).text().endsWith("::");
    }

    /** The argument list of EXECUTE: NULL for every parameter (a generic plan does not use them). */
    public String nullArguments() {
        return parameters == 0 ? "" : "(" + String.join(", ", java.util.Collections.nCopies(parameters, "NULL")) + ")";
    }
}
