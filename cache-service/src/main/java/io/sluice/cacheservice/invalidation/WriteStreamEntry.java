package io.sluice.cacheservice.invalidation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sluice.cacheservice.tag.Tags;
import io.sluice.common.sql.Lsn;
import io.sluice.common.tracing.Traceparents;

/**
 * One entry of replica-router's write stream (docs/streams.md), parsed: the tags its tables invalidate
 * ({@code table:<name>}; {@code *} is the database tag), the write's LSN (0 when absent or unreadable), when it
 * was appended ({@code at}, -1 when absent) and its {@code traceparent}. Pure: no Redis, no clock.
 */
public record WriteStreamEntry(String id, List<String> tags, long lsn, long at, String traceparent,
        String tables) {

    public static WriteStreamEntry parse(String id, Map<String, String> payload) {
        String tables = payload.get("tables");
        List<String> tags = new ArrayList<>();
        long at = -1;
        if (tables != null && !tables.isBlank()) {
            for (String table : tables.split(",")) {
                tags.add(table.trim().equals("*") ? Tags.DATABASE : Tags.table(table));
            }
            at = parseLong(payload.get("at"));
        }
        return new WriteStreamEntry(id, List.copyOf(tags), lsnOf(payload.get("lsn")), at,
                payload.get(Traceparents.FIELD), tables);
    }

    /** Whether the entry names tables (an entry without any invalidates nothing but is still acknowledged). */
    public boolean touchesTables() {
        return !tags.isEmpty();
    }

    private static long lsnOf(String text) {
        try {
            return text == null ? 0 : Lsn.parse(text);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
