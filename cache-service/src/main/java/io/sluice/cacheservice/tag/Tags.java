package io.sluice.cacheservice.tag;

import java.util.Locale;
import java.util.regex.Pattern;

import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;

/** Tag names and the implicit tags every entry carries. */
public final class Tags {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_:.\\-/*]{1,200}");

    /** Carried by every query result: bumped when a write's tables are unknown or a channel had a gap. */
    public static final String DATABASE = "db";

    private Tags() {
    }

    public static String validate(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    "tag must match " + TAG.pattern() + ": " + (tag == null ? "null" : abbreviate(tag)));
        }
        return tag;
    }

    /** Every entry of a namespace carries this tag, so bumping it is an O(1) flush of the namespace. */
    public static String namespace(String namespace) {
        return "ns:" + namespace;
    }

    /**
     * The tag of a table: lower-case unless quoted upstream, without the default {@code public.} schema, so
     * {@code public.orders}, {@code orders} (from the router) and the trigger's {@code public.orders} agree.
     */
    public static String table(String name) {
        String t = name.trim();
        if (t.toLowerCase(Locale.ROOT).startsWith("public.")) {
            t = t.substring("public.".length());
        }
        return "table:" + t;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
