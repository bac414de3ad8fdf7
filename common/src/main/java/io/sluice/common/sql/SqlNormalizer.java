package io.sluice.common.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.common.hash.Hashes;

/**
 * Turns a statement into its normalized form and fingerprint, grouping statements the way PostgreSQL's
 * {@code pg_stat_statements} groups them by {@code queryid}: literals (numbers, strings, {@code true}/{@code false},
 * a negative number as one value) and positional parameters become {@code ?}, comments go, keywords and unquoted
 * identifiers are lower-cased, {@code "lower_case"} quoted identifiers lose their needless quotes, white space
 * collapses, and IN lists of any length become {@code in (?)}. That last rule is the one intended difference from
 * PostgreSQL 15, which gives IN lists of different lengths different queryids. No literal value survives, so the
 * normalized text is safe to log and report; the text of a {@code pg_stat_statements} row (with {@code $n}
 * placeholders) normalizes to the same text as the statements it counts.
 */
public final class SqlNormalizer {

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    /** Words after which a minus sign is a sign, not a subtraction. */
    private static final Set<String> SIGN_CONTEXT = Set.of("select", "where", "and", "or", "not", "then", "else",
            "when", "values", "by", "limit", "offset", "in", "between", "like", "is", "set", "return", "case");

    private SqlNormalizer() {
    }

    public static String normalize(String sql) {
        List<Token> tokens = meaningful(SqlLexer.tokenize(sql));
        StringBuilder out = new StringBuilder();
        Token previous = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.SEMICOLON && i == tokens.size() - 1) {
                break;
            }
            if (t.isWord("in") && i + 1 < tokens.size() && tokens.get(i + 1).text().equals("(")) {
                int close = valueListEnd(tokens, i + 2);
                if (close > 0) {
                    append(out, previous, "in");
                    out.append(" (?)");
                    i = close;
                    previous = tokens.get(i);
                    continue;
                }
            }
            String text = switch (t.kind()) {
                case STRING, NUMBER, PARAMETER -> "?";
                case WORD -> isBooleanLiteral(t) ? "?" : t.lower();
                case QUOTED_IDENTIFIER -> unquoteIfPlain(t.text());
                default -> t.text();
            };
            append(out, previous, text);
            previous = t;
        }
        return out.toString();
    }

    /** First 8 bytes of SHA-256 of the normalized text, as 16 hex digits: stable across processes and versions. */
    public static String fingerprint(String sql) {
        return fingerprintOfNormalized(normalize(sql));
    }

    public static String fingerprintOfNormalized(String normalized) {
        return Hashes.sha256Hex(normalized, 8);
    }

    /** Drops comments, and folds a sign into the number it belongs to (PostgreSQL parses -1 as one constant). */
    private static List<Token> meaningful(List<Token> all) {
        List<Token> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Token t = all.get(i);
            if (t.kind() == Token.Kind.COMMENT) {
                continue;
            }
            if (t.kind() == Token.Kind.SYMBOL && t.text().equals("-") && i + 1 < all.size()
                    && all.get(i + 1).kind() == Token.Kind.NUMBER && isSignContext(out)) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private static boolean isSignContext(List<Token> before) {
        if (before.isEmpty()) {
            return true;
        }
        Token p = before.get(before.size() - 1);
        return switch (p.kind()) {
            case SYMBOL -> !p.text().equals(")") && !p.text().equals("]");
            case WORD -> SIGN_CONTEXT.contains(p.lower());
            default -> false;
        };
    }

    private static boolean isBooleanLiteral(Token t) {
        return t.isWord("true") || t.isWord("false");
    }

    /** "users" is the same relation as users; "Users" is not, so it keeps its quotes. */
    private static String unquoteIfPlain(String quoted) {
        if (quoted.length() > 2 && quoted.endsWith("\"")) {
            String inner = quoted.substring(1, quoted.length() - 1);
            if (PLAIN_IDENTIFIER.matcher(inner).matches()) {
                return inner;
            }
        }
        return quoted;
    }

    private static void append(StringBuilder out, Token previous, String text) {
        if (!out.isEmpty() && needsSpace(previous, text)) {
            out.append(' ');
        }
        out.append(text);
    }

    private static boolean needsSpace(Token previous, String next) {
        String p = previous == null ? "" : previous.text();
        return !(p.equals("(") || p.equals(".") || next.equals(")") || next.equals(",") || next.equals(".")
                || next.equals("(") && previous != null && previous.kind() == Token.Kind.WORD
                        && !previous.lower().equals("in") && !previous.lower().equals("values")
                || p.equals("::") || next.equals("::") || next.equals(";"));
    }

    /**
     * For {@code ( value [, value]* )} starting after the parenthesis, the index of the closing parenthesis, else -1.
     * A value is a literal or parameter, optionally cast ({@code 'a'::text}).
     */
    private static int valueListEnd(List<Token> tokens, int from) {
        boolean expectValue = true;
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (expectValue && isValue(t)) {
                expectValue = false;
                while (i + 2 < tokens.size() && tokens.get(i + 1).text().equals("::")
                        && tokens.get(i + 2).kind() == Token.Kind.WORD) {
                    i += 2;
                }
            } else if (!expectValue && t.text().equals(",")) {
                expectValue = true;
            } else {
                return !expectValue && t.text().equals(")") ? i : -1;
            }
        }
        return -1;
    }

    private static boolean isValue(Token t) {
        return t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.PARAMETER
                || isBooleanLiteral(t);
    }
}
