package io.sluice.partitionmanager.db;

import java.util.ArrayList;
import java.util.List;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * A table named exactly as the catalog spells it ({@code Sales."Order Lines"}: case and spaces kept), checked for
 * length and control characters here and for existence against the catalog by its user; always quoted in SQL.
 * Text form: {@code schema.table} or {@code table} (schema {@code public}); a part holding a dot or a double quote is
 * written in double quotes, with {@code ""} for a quote.
 */
public record QualifiedName(String schema, String name) {

    public QualifiedName {
        check(schema);
        check(name);
    }

    public static QualifiedName parse(String text) {
        List<String> parts = split(text == null ? "" : text);
        if (parts.size() == 1) {
            return new QualifiedName("public", parts.get(0));
        }
        if (parts.size() != 2) {
            throw invalid("'" + text + "' is not schema.table");
        }
        return new QualifiedName(parts.get(0), parts.get(1));
    }

    /** Checks a single catalog name (a column, say) the same way. */
    public static String checkName(String name) {
        check(name);
        return name;
    }

    public String quoted() {
        return SqlIdentifier.quote(schema) + "." + SqlIdentifier.quote(name);
    }

    /** The text form, quoting only parts that need it to be read back. */
    @Override
    public String toString() {
        return part(schema) + "." + part(name);
    }

    private static String part(String p) {
        return p.contains(".") || p.contains("\"") ? SqlIdentifier.quote(p) : p;
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    current.append(ch);
                }
            } else if (ch == '"' && current.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (ch == '.') {
                parts.add(current.toString());
                current.setLength(0);
                wasQuoted = false;
            } else if (ch == '"' || wasQuoted) {
                throw invalid("'" + text + "': a double quote must enclose a whole name");
            } else {
                current.append(ch);
            }
        }
        if (quoted) {
            throw invalid("'" + text + "': unterminated double quote");
        }
        parts.add(current.toString());
        return parts;
    }

    private static void check(String name) {
        if (name == null || !Names.fits(name)) {
            throw invalid("'" + name + "' is not a valid name: 1 to 63 bytes");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw invalid("a name must not hold control characters");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(CommonProblem.VALIDATION_FAILED, detail);
    }
}
