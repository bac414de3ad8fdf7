package io.sluice.querymonitor.index;

import java.util.ArrayList;
import java.util.HashMap;
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
 * belongs to the only table, or is skipped). A lexer-level heuristic, not a parser: what it finds is only ever a
 * candidate, which HypoPG then verifies.
 */
public final class CandidateExtractor {

    /** A table (possibly schema-qualified, lower-case) and one column of it. */
    public record ColumnRef(String table, String column) {
    }

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

    public static Set<ColumnRef> columns(String sql) {
        List<Token> t = SqlLexer.tokenize(sql).stream().filter(x -> x.kind() != Token.Kind.COMMENT).toList();
        Map<String, String> aliases = new HashMap<>();
        List<String> tables = new ArrayList<>();
        List<String[]> refs = new ArrayList<>(); // {qualifier or null, column}
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
                boolean compared = end + 1 < t.size() && COMPARISON.contains(t.get(end + 1).text().toLowerCase())
                        || i > 0 && COMPARISON.contains(t.get(i - 1).text().toLowerCase());
                if (!function && (clause.equals("order") || compared)) {
                    refs.add(new String[] {qualifier, column});
                }
                i = end;
            }
        }
        Set<ColumnRef> out = new LinkedHashSet<>();
        for (String[] r : refs) {
            String table = r[0] != null ? aliases.get(r[0]) : tables.size() == 1 ? tables.get(0) : null;
            if (table != null && IDENTIFIER.matcher(r[1]).matches()) {
                out.add(new ColumnRef(table, r[1]));
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
