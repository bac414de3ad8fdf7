package io.sluice.querymonitor.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.common.sql.SqlLexer;
import io.sluice.common.sql.Token;

/**
 * Finds the columns a statement filters, joins or sorts on: column references in WHERE and JOIN ... ON next to a
 * comparison, and in ORDER BY, resolved to their table through the FROM/JOIN aliases (an unqualified column
 * belongs to the only table, or is skipped). From them come candidate indexes: each column alone, and per table one
 * multi-column index in the order a B-tree serves best (equality columns first, then one range or ORDER BY
 * column). A lexer-level heuristic, not a parser: what it finds is only ever a candidate, which HypoPG then verifies.
 */
public final class CandidateExtractor {

    /** A candidate index: a table (possibly schema-qualified, lower-case) and its key columns, in order. */
    public record IndexCandidate(String table, List<String> columns) {
    }

    /** How a statement uses a column, which decides its place in a multi-column index. */
    private enum Use {
        EQUALITY, RANGE, ORDER
    }

    /** A column resolved to its table, and how the statement uses it. */
    private record Ref(String table, String column, Use use) {
    }

    /** A column as written: its qualifier (alias or table, null when unqualified) is resolved at the end. */
    private record Written(String qualifier, String column, Use use) {
    }

    /** Equality columns taken into a multi-column candidate, before its range or ORDER BY column. */
    static final int MAX_EQUALITY_COLUMNS = 3;
    private static final Set<String> EQUALITY = Set.of("=", "in", "is");

    public static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Set<String> COMPARISON = Set.of("=", "<", ">", "<=", ">=", "like", "ilike", "in",
            "between", "is");
    private static final Set<String> CLAUSE_END = Set.of("group", "having", "limit", "offset", "union", "except",
            "intersect", "returning", "for", "window");
    private static final Set<String> NOT_ALIAS = Set.of("where", "join", "inner", "left", "right", "full", "cross",
            "natural", "on", "using", "group", "order", "limit", "offset", "set", "for", "union", "returning",
            "window", "having", "outer", "lateral");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "null", "true", "false", "is", "in",
            "like", "ilike", "between", "asc", "desc", "nulls", "first", "last", "case", "when", "then", "else",
            "end", "exists", "any", "all", "select", "from", "as", "distinct", "on", "by", "order", "where");

    private CandidateExtractor() {
    }

    /**
     * Every column alone, then per table with at least two usable columns: up to {@link #MAX_EQUALITY_COLUMNS}
     * equality-compared columns in the order they appear, followed by the first range-compared or ORDER BY column.
     */
    public static Set<IndexCandidate> candidates(String sql) {
        List<Ref> refs = refs(sql);
        Set<IndexCandidate> out = new LinkedHashSet<>();
        Map<String, List<String>> equality = new LinkedHashMap<>();
        Map<String, String> tail = new HashMap<>();
        for (Ref r : refs) {
            String table = r.table();
            String column = r.column();
            out.add(new IndexCandidate(table, List.of(column)));
            List<String> eq = equality.computeIfAbsent(table, k -> new ArrayList<>());
            if (r.use() == Use.EQUALITY && !eq.contains(column) && eq.size() < MAX_EQUALITY_COLUMNS) {
                eq.add(column);
            } else if (r.use() != Use.EQUALITY) {
                tail.putIfAbsent(table, column);
            }
        }
        equality.forEach((table, eq) -> {
            List<String> key = new ArrayList<>(eq);
            String last = tail.get(table);
            if (last != null && !key.contains(last)) {
                key.add(last);
            }
            if (key.size() > 1) {
                out.add(new IndexCandidate(table, List.copyOf(key)));
            }
        });
        return out;
    }

    private static List<Ref> refs(String sql) {
        List<Token> t = SqlLexer.tokenize(sql).stream().filter(x -> x.kind() != Token.Kind.COMMENT).toList();
        Map<String, String> aliases = new HashMap<>();
        List<String> tables = new ArrayList<>();
        List<Written> written = new ArrayList<>();
        String clause = "";
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            String w = tok.kind() == Token.Kind.WORD ? tok.lower() : null;
            if ("from".equals(w) || "join".equals(w) || "update".equals(w) || "into".equals(w)) {
                i = readTable(t, i + 1, aliases, tables) - 1;
                clause = "from";
            } else if ("where".equals(w) || "on".equals(w)) {
                clause = "filter";
            } else if ("order".equals(w) && i + 1 < t.size() && t.get(i + 1).isWord("by")) {
                clause = "order";
                i++;
            } else if (w != null && CLAUSE_END.contains(w)) {
                clause = "";
            } else if (tok.text().equals(",") && clause.equals("from")) {
                i = readTable(t, i + 1, aliases, tables) - 1;
            } else if (w != null && !KEYWORDS.contains(w) && (clause.equals("filter") || clause.equals("order"))) {
                String qualifier = null;
                String column = w;
                int end = i;
                if (i + 2 < t.size() && t.get(i + 1).text().equals(".") && t.get(i + 2).kind() == Token.Kind.WORD) {
                    qualifier = w;
                    column = t.get(i + 2).lower();
                    end = i + 2;
                }
                boolean function = end + 1 < t.size() && t.get(end + 1).text().equals("(");
                String after = end + 1 < t.size() ? t.get(end + 1).text().toLowerCase() : "";
                String before = i > 0 ? t.get(i - 1).text().toLowerCase() : "";
                String operator = COMPARISON.contains(after) ? after : COMPARISON.contains(before) ? before : null;
                if (!function && (clause.equals("order") || operator != null)) {
                    Use use = clause.equals("order") ? Use.ORDER
                            : EQUALITY.contains(operator) ? Use.EQUALITY : Use.RANGE;
                    written.add(new Written(qualifier, column, use));
                }
                i = end;
            }
        }
        List<Ref> out = new ArrayList<>();
        for (Written r : written) {
            String table = r.qualifier() != null ? aliases.get(r.qualifier())
                    : tables.size() == 1 ? tables.get(0) : null;
            if (table != null && IDENTIFIER.matcher(r.column()).matches()) {
                out.add(new Ref(table, r.column(), r.use()));
            }
        }
        return out;
    }

    /** Reads "[schema.]table [[as] alias]" from index i; returns the index after it. */
    private static int readTable(List<Token> t, int i, Map<String, String> aliases, List<String> tables) {
        if (i >= t.size() || t.get(i).kind() != Token.Kind.WORD || t.get(i).isWord("lateral")) {
            return i;
        }
        String name = t.get(i).lower();
        i++;
        if (i + 1 < t.size() && t.get(i).text().equals(".") && t.get(i + 1).kind() == Token.Kind.WORD) {
            name = name + "." + t.get(i + 1).lower();
            i += 2;
        }
        if (i < t.size() && t.get(i).text().equals("(")) {
            return i; // a function in FROM, not a table
        }
        tables.add(name);
        aliases.put(name.contains(".") ? name.substring(name.indexOf('.') + 1) : name, name);
        if (i < t.size() && t.get(i).isWord("as")) {
            i++;
        }
        if (i < t.size() && t.get(i).kind() == Token.Kind.WORD && !NOT_ALIAS.contains(t.get(i).lower())) {
            aliases.put(t.get(i).lower(), name);
            i++;
        }
        return i;
    }
}
