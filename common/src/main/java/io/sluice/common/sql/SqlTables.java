package io.sluice.common.sql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tables a statement writes or reads, from its tokens. Names are lower-cased unless quoted and keep their
 * schema when given ("public.users"). An empty set means none could be found.
 */
public final class SqlTables {

    private static final Set<String> CLAUSE_WORDS = Set.of("where", "join", "inner", "left", "right", "full",
            "cross", "natural", "on", "group", "order", "limit", "offset", "having", "union", "except", "intersect",
            "window", "for", "using", "fetch");

    private SqlTables() {
    }

    /**
     * The tables a statement reads: names after FROM and JOIN (and each item of a comma-separated FROM list),
     * subqueries read through; function calls in FROM are not tables. A view counts under its own name.
     */
    public static Set<String> read(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql).stream().filter(t -> t.kind() != Token.Kind.COMMENT).toList();
        Set<String> tables = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("from") || t.isWord("join")) {
                int j = readName(tokens, i + 1, tables);
                while (t.isWord("from") && j < tokens.size()) {
                    j = skipAlias(tokens, j);
                    if (j < tokens.size() && tokens.get(j).text().equals(",")) {
                        j = readName(tokens, j + 1, tables);
                    } else {
                        break;
                    }
                }
            }
        }
        return tables;
    }

    /**
     * The tables a statement writes: INSERT INTO t, UPDATE t, DELETE FROM t, MERGE INTO t, TRUNCATE [TABLE] a, b,
     * COPY t FROM, ALTER/DROP TABLE t, also inside data-modifying CTEs.
     */
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

    /** A FROM/JOIN item: [ONLY] name, unless it is LATERAL or a function call; returns the index after it. */
    private static int readName(List<Token> tokens, int from, Set<String> into) {
        int i = from;
        if (i < tokens.size() && tokens.get(i).isWord("only")) {
            i++;
        }
        if (i < tokens.size() && tokens.get(i).isWord("lateral")) {
            return i + 1;
        }
        Set<String> found = new LinkedHashSet<>();
        int end = nameAfter(tokens, i, Set.of(), found);
        boolean functionCall = end < tokens.size() && tokens.get(end).text().equals("(");
        if (!functionCall) {
            into.addAll(found);
        }
        return end;
    }

    private static int skipAlias(List<Token> tokens, int i) {
        if (i < tokens.size() && tokens.get(i).isWord("as")) {
            i++;
        }
        if (i < tokens.size() && isName(tokens.get(i)) && !CLAUSE_WORDS.contains(tokens.get(i).lower())) {
            i++;
        }
        return i;
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
