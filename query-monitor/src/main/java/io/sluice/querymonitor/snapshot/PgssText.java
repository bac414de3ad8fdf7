package io.sluice.querymonitor.snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statement a pg_stat_statements text stands for. PostgreSQL counts a prepared statement under the queryid of
 * its inner query but keeps the text of whatever it saw first, e.g. {@code PREPARE s AS select ... where id = $1}
 * (query-monitor's own generic-plan EXPLAIN, or an app that PREPAREs). Without the prefix the text normalizes to
 * the same fingerprint as the samples of that query, so the counts land on it.
 */
final class PgssText {

    private static final Pattern PREPARE = Pattern.compile(
            "^\\s*prepare\\s+(?:\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)\\s*(?:\\([^)]*\\))?\\s+as\\s+",
            Pattern.CASE_INSENSITIVE);

    private PgssText() {
    }

    static String statementOf(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = PREPARE.matcher(text);
        return m.find() ? text.substring(m.end()) : text;
    }
}
