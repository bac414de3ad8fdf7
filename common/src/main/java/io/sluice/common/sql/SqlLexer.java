package io.sluice.common.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL lexer good enough to classify and fingerprint statements: it knows where strings (standard,
 * escape E'', dollar-quoted), quoted identifiers, comments (nested block comments too) and parameters are, so
 * that nothing inside a literal or comment is mistaken for a keyword. It never fails: unterminated constructs run
 * to the end of the text, and PostgreSQL itself reports the syntax error.
 */
public final class SqlLexer {

    private final String sql;
    private int pos;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    public static List<Token> tokenize(String sql) {
        return new SqlLexer(sql).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            int start = pos;
            if (Character.isWhitespace(c)) {
                pos++;
                continue;
            }
            Token.Kind kind;
            if (c == '-' && peek(1) == '-') {
                pos = indexOrEnd(sql.indexOf('\n', pos));
                kind = Token.Kind.COMMENT;
            } else if (c == '/' && peek(1) == '*') {
                skipBlockComment();
                kind = Token.Kind.COMMENT;
            } else if (c == '\'') {
                skipQuoted('\'', false);
                kind = Token.Kind.STRING;
            } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
                pos++;
                skipQuoted('\'', true);
                kind = Token.Kind.STRING;
            } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && peek(1) == '\'') {
                pos++;
                skipQuoted('\'', false);
                kind = Token.Kind.STRING;
            } else if (c == '"') {
                skipQuoted('"', false);
                kind = Token.Kind.QUOTED_IDENTIFIER;
            } else if (c == '$' && Character.isDigit(peek(1))) {
                pos++;
                while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
                kind = Token.Kind.PARAMETER;
            } else if (c == '$' && dollarTagEnd() > 0) {
                skipDollarQuoted();
                kind = Token.Kind.STRING;
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
                skipNumber();
                kind = Token.Kind.NUMBER;
            } else if (isWordStart(c)) {
                while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                    pos++;
                }
                kind = Token.Kind.WORD;
            } else if (c == ';') {
                pos++;
                kind = Token.Kind.SEMICOLON;
            } else if (isOperatorChar(c)) {
                // An operator is a run of operator characters (||, >=, ::, @>), ending where a comment starts.
                pos++;
                while (pos < sql.length() && isOperatorChar(sql.charAt(pos)) && !sql.startsWith("--", pos)
                        && !sql.startsWith("/*", pos)) {
                    pos++;
                }
                kind = Token.Kind.SYMBOL;
            } else {
                pos++;
                kind = Token.Kind.SYMBOL;
            }
            tokens.add(new Token(kind, sql.substring(start, pos), start));
        }
        return tokens;
    }

    private char peek(int offset) {
        int i = pos + offset;
        return i < sql.length() ? sql.charAt(i) : '\0';
    }

    private int indexOrEnd(int index) {
        return index < 0 ? sql.length() : index;
    }

    private void skipBlockComment() {
        int depth = 0;
        while (pos < sql.length()) {
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
    }

    /** From an opening quote: a doubled quote is an escaped quote; with backslashes, \x escapes x. */
    private void skipQuoted(char quote, boolean backslashEscapes) {
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
            } else if (c == quote) {
                if (peek(1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    return;
                }
            } else {
                pos++;
            }
        }
        pos = Math.min(pos, sql.length());
    }

    /** Length of a $tag$ opener at pos, or 0 when this '$' does not open a dollar quote. */
    private int dollarTagEnd() {
        int i = pos + 1;
        while (i < sql.length() && isWordPart(sql.charAt(i)) && sql.charAt(i) != '$') {
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '$' ? i - pos + 1 : 0;
    }

    private void skipDollarQuoted() {
        String tag = sql.substring(pos, pos + dollarTagEnd());
        int end = sql.indexOf(tag, pos + tag.length());
        pos = end < 0 ? sql.length() : end + tag.length();
    }

    private void skipNumber() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isDigit(c) || c == '.' || c == '_') {
                pos++;
            } else if ((c == 'e' || c == 'E') && (Character.isDigit(peek(1))
                    || ((peek(1) == '+' || peek(1) == '-') && Character.isDigit(peek(2))))) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private static boolean isOperatorChar(char c) {
        return "+-*/<>=~!@#%^&|`?:".indexOf(c) >= 0;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
