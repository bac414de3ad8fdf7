package io.sluice.cacheservice.query;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.Token;

/**
 * The tables a read-only statement reads, from its tokens: names after FROM and JOIN (and each name of a
 * comma-separated FROM list), schema kept when given, lower-cased unless quoted. Subqueries are read through;
 * function calls in FROM are not tables. A view is tagged by its own name: writes to its base tables invalidate it
 * only if the query is also tagged with them (see README).
 */
public final class ReadTables {

    private ReadTables() {
    }

    public static Set<String> of(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql).stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        Set<String> tables = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("from") || t.isWord("join")) {
                int j = name(tokens, i + 1, tables);
                // FROM a, b, c: each item after a comma at the same level, skipping aliases.
                while (t.isWord("from") && j < tokens.size()) {
                    j = skipAlias(tokens, j);
                    if (j < tokens.size() && tokens.get(j).text().equals(",")) {
                        j = name(tokens, j + 1, tables);
                    } else {
                        break;
                    }
                }
            }
        }
        return tables;
    }

    private static int name(List<Token> tokens, int from, Set<String> into) {
        int i = from;
        if (i < tokens.size() && tokens.get(i).isWord("only")) {
            i++;
        }
        if (i < tokens.size() && tokens.get(i).isWord("lateral")) {
            return i + 1;
        }
        StringBuilder name = new StringBuilder();
        while (i < tokens.size() && isName(tokens.get(i))) {
            name.append(identifier(tokens.get(i)));
            if (i + 2 < tokens.size() && tokens.get(i + 1).text().equals(".") && isName(tokens.get(i + 2))) {
                name.append('.');
                i += 2;
            } else {
                i++;
                break;
            }
        }
        boolean functionCall = i < tokens.size() && tokens.get(i).text().equals("(");
        if (!name.isEmpty() && !functionCall) {
            into.add(name.toString());
        }
        return i;
    }

    private static int skipAlias(List<Token> tokens, int i) {
        if (i < tokens.size() && tokens.get(i).isWord("as")) {
            i++;
        }
        if (i < tokens.size() && isName(tokens.get(i)) && !isClauseWord(tokens.get(i))) {
            i++;
        }
        return i;
    }

    private static boolean isClauseWord(Token t) {
        return Set.of("where", "join", "inner", "left", "right", "full", "cross", "natural", "on", "group",
                "order", "limit", "offset", "having", "union", "except", "intersect", "window", "for", "using",
                "fetch").contains(t.lower());
    }

    private static boolean isName(Token t) {
        return t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER;
    }

    private static String identifier(Token t) {
        return t.kind() == Token.Kind.QUOTED_IDENTIFIER
                ? t.text().substring(1, t.text().length() - 1).replace("\"\"", "\"")
                : t.text().toLowerCase(Locale.ROOT);
    }
}
