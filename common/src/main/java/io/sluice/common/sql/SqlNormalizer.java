package io.sluice.common.sql;

import java.util.List;

import io.sluice.common.hash.Hashes;

/**
 * Turns a statement into its normalized form and fingerprint: literals become {@code ?}, parameters stay
 * {@code $n}, comments go, keywords are lower-cased, white space collapses, and IN lists of any length become
 * {@code in (?)}. Two statements that differ only in values share a fingerprint; no literal value survives, so the
 * normalized text is safe to log and report.
 */
public final class SqlNormalizer {

    private SqlNormalizer() {
    }

    public static String normalize(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql).stream()
                .filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        StringBuilder out = new StringBuilder();
        Token previous = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.SEMICOLON && i == tokens.size() - 1) {
                break;
            }
            if (t.isWord("in") && i + 1 < tokens.size() && tokens.get(i + 1).text().equals("(")
                    && isValueList(tokens, i + 2)) {
                append(out, previous, "in");
                out.append(" (?)");
                i = closingParen(tokens, i + 1);
                previous = tokens.get(i);
                continue;
            }
            String text = switch (t.kind()) {
                case STRING, NUMBER -> "?";
                case WORD -> t.lower();
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

    /** ( literal|param [, literal|param]* ) */
    private static boolean isValueList(List<Token> tokens, int from) {
        boolean expectValue = true;
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (expectValue && (t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.NUMBER
                    || t.kind() == Token.Kind.PARAMETER)) {
                expectValue = false;
            } else if (!expectValue && t.text().equals(",")) {
                expectValue = true;
            } else {
                return !expectValue && t.text().equals(")");
            }
        }
        return false;
    }

    private static int closingParen(List<Token> tokens, int open) {
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).text().equals(")")) {
                return i;
            }
        }
        return tokens.size() - 1;
    }
}
