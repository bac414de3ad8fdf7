package io.sluice.querymonitor.snapshot;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A snapshot as text, for the shared baseline in Redis: a header line {@code <taken> <dealloc> <stats reset or ->}
 * (ISO-8601 instants, to the microsecond PostgreSQL gives), then one line per statement {@code <user> <db>
 * <queryid> <t|f> <calls> <total ms> <rows>}. Doubles are written with {@link Double#toString}: everything reads back
 * exactly, so a reset is never seen where there was none and deltas between instances do not drift.
 */
public final class BaselineCodec {

    private BaselineCodec() {
    }

    public static String write(Snapshot s) {
        StringBuilder out = new StringBuilder(64 + s.rows().size() * 48);
        out.append(s.takenAt()).append(' ').append(s.dealloc()).append(' ')
                .append(s.statsReset() == null ? "-" : s.statsReset().toString()).append('\n');
        s.rows().forEach((k, c) -> out.append(k.userId()).append(' ').append(k.dbId()).append(' ')
                .append(k.queryId()).append(' ').append(k.topLevel() ? 't' : 'f').append(' ').append(c.calls())
                .append(' ').append(c.totalExecMs()).append(' ').append(c.rows()).append('\n'));
        return out.toString();
    }

    /** @throws IllegalArgumentException when the text is not a baseline */
    public static Snapshot read(String text) {
        String[] lines = text.split("\n");
        String[] head = lines[0].split(" ");
        if (head.length != 3) {
            throw new IllegalArgumentException("not a snapshot baseline");
        }
        Map<StatementKey, Counters> rows = new HashMap<>(lines.length * 2);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            rows.put(new StatementKey(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    "t".equals(f[3])), new Counters(Long.parseLong(f[4]), Double.parseDouble(f[5]),
                    Long.parseLong(f[6])));
        }
        return new Snapshot(Instant.parse(head[0]), Long.parseLong(head[1]),
                "-".equals(head[2]) ? null : Instant.parse(head[2]), rows);
    }
}
