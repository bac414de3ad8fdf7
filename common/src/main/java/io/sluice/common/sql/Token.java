package io.sluice.common.sql;

/** One lexical token of a SQL text. {@code text} is the source slice; words are compared lower-cased. */
public record Token(Kind kind, String text, int start) {

    public enum Kind {
        /** Keyword or unquoted identifier. */
        WORD,
        /** "Quoted identifier". */
        QUOTED_IDENTIFIER,
        /** 'string', E'string', $tag$string$tag$, B'..', X'..'. */
        STRING,
        NUMBER,
        /** A positional parameter: $1, $2, ... */
        PARAMETER,
        /** A block or line comment; kept because routing hints live in comments. */
        COMMENT,
        SEMICOLON,
        /** Anything else: operators, parentheses, commas, casts. */
        SYMBOL
    }

    public boolean isWord(String lowerCaseWord) {
        return kind == Kind.WORD && text.equalsIgnoreCase(lowerCaseWord);
    }

    public String lower() {
        return text.toLowerCase(java.util.Locale.ROOT);
    }
}
