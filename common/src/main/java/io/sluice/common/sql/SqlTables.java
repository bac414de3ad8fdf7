package io.sluice.common.sql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tables a statement writes, from its tokens: INSERT INTO t, UPDATE t, DELETE FROM t, MERGE INTO t,
 * TRUNCATE [TABLE] a, b, COPY t FROM, ALTER/DROP TABLE t, also inside data-modifying CTEs. Names are lower-cased
 * unless quoted and keep their schema when given ("public.users"). An empty set means none could be found.
 */
public final class SqlTables {

    private SqlTables() {
    }

    public static Set<String> written(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql).stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        Set<String> tables = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() != Token.Kind.WORD) {
                continue;
            }
            switch (t.lower()) {
                case "insert", "merge" -> nameAfter(tokens, i + 1, Set.of("into"), tables);
                case "update" -> {
                    if (i > 0 && (tokens.get(i - 1).isWord("for") || tokens.get(i - 1).isWord("key")
                            || tokens.get(i - 1).isWord("do") || tokens.get(i - 1).isWord("no"))) {
                        continue;
                    }
                    nameAfter(tokens, i + 1, Set.of("only"), tables);
                }
                case "delete" -> nameAfter(tokens, i + 1, Set.of("from", "only"), tables);
                case "copy" -> {
                    if (tokens.stream().anyMatch(x -> x.isWord("from"))) {
                        nameAfter(tokens, i + 1, Set.of(), tables);
                    }
                }
                case "truncate" -> {
                    int j = nameAfter(tokens, i + 1, Set.of("table", "only"), tables);
                    while (j < tokens.size() && tokens.get(j).text().equals(",")) {
                        j = nameAfter(tokens, j + 1, Set.of("only"), tables);
                    }
                }
                case "alter", "drop" -> {
                    if (i + 1 < tokens.size() && tokens.get(i + 1).isWord("table")) {
                        nameAfter(tokens, i + 2, Set.of("if", "exists", "only"), tables);
                    }
                }
                default -> {
                }
            }
        }
        return tables;
    }

    /** Reads a possibly schema-qualified name after skipping the given words; returns the index after it. */
    private static int nameAfter(List<Token> tokens, int from, Set<String> skip, Set<String> into) {
        int i = from;
        while (i < tokens.size() && tokens.get(i).kind() == Token.Kind.WORD && skip.contains(tokens.get(i).lower())) {
            i++;
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
        if (!name.isEmpty()) {
            into.add(name.toString());
        }
        return i;
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
