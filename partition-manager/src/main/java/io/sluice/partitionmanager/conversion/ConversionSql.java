package io.sluice.partitionmanager.conversion;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.PartitionPlanner;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * The names and statements of one conversion, all from validated identifiers and catalog type names. The twin is
 * {@code <table>_pm_new} until the swap; the change log, its trigger and function carry the conversion's tag.
 */
public record ConversionSql(Conversion conversion, String keyType, ColumnType columnType) {

    public String table() {
        return SqlIdentifier.quote(conversion.schema()) + "." + SqlIdentifier.quote(conversion.table());
    }

    public String twinName() {
        String base = conversion.table();
        return base.substring(0, Math.min(base.length(), 56)) + "_pm_new";
    }

    public String twin() {
        return SqlIdentifier.quote(conversion.schema()) + "." + SqlIdentifier.quote(twinName());
    }

    public String oldName() {
        String base = conversion.table();
        return base.substring(0, Math.min(base.length(), 49)) + "_unpartitioned";
    }

    public String log() {
        return "sluice_partman.\"conv_" + conversion.tag() + "_log\"";
    }

    public String key() {
        return SqlIdentifier.quote(conversion.keyColumn());
    }

    public String column() {
        return SqlIdentifier.quote(conversion.column());
    }

    public String trigger() {
        return "\"sluice_conv_" + conversion.tag() + "\"";
    }

    private String function() {
        return "sluice_partman.\"conv_" + conversion.tag() + "_fn\"";
    }

    /** The twin, its partitions from {@code first} up to {@code last} (inclusive) and its primary key. */
    public List<String> createTwin(LocalDate first, LocalDate last) {
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE"
                .formatted(twin(), table()) + " INCLUDING COMMENTS) PARTITION BY RANGE (" + column() + ")");
        Interval interval = conversion.interval();
        for (LocalDate from = interval.floor(first); !from.isAfter(last); from = interval.next(from)) {
            String name = PartitionPlanner.partitionName(new SqlIdentifier(conversion.table()), interval, from);
            ddl.add("CREATE TABLE %s.%s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)".formatted(
                    SqlIdentifier.quote(conversion.schema()), SqlIdentifier.quote(name), twin(),
                    columnType.boundLiteral(from, ZoneOffset.UTC), columnType.boundLiteral(interval.next(from), ZoneOffset.UTC)));
        }
        ddl.add("ALTER TABLE %s ADD PRIMARY KEY (%s)".formatted(twin(),
                conversion.keyColumn().equals(conversion.column()) ? key() : key() + ", " + column()));
        return ddl;
    }

    /** The change log and the trigger that fills it with the key of every row written during the copy. */
    public List<String> captureChanges() {
        return List.of(
                "CREATE TABLE " + log() + " (seq bigserial PRIMARY KEY, k text NOT NULL)",
                """
                CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                  IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO %s (k) VALUES (OLD.%s::text); END IF;
                  IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO %s (k) VALUES (NEW.%s::text); END IF;
                  RETURN NULL;
                END $fn$""".formatted(function(), log(), key(), log(), key()),
                "CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()"
                        .formatted(trigger(), table(), function()));
    }

    /** One batch: the next rows by key, copied into the twin; answers the batch's last key and row count. */
    public String copyBatch(boolean first) {
        return """
                WITH b AS (SELECT * FROM %s %s ORDER BY %s LIMIT ?),
                ins AS (INSERT INTO %s SELECT * FROM b ON CONFLICT DO NOTHING)
                SELECT max(%s)::text, count(*) FROM b""".formatted(table(),
                first ? "" : "WHERE " + key() + " > ?::" + keyType, key(), twin(), key());
    }

    public String takeChanges() {
        return "DELETE FROM %s WHERE seq IN (SELECT seq FROM %s ORDER BY seq LIMIT ?) RETURNING k".formatted(log(), log());
    }

    public String deleteChanged() {
        return "DELETE FROM %s WHERE %s = ANY (?::text[]::%s[])".formatted(twin(), key(), keyType);
    }

    public String insertChanged() {
        return "INSERT INTO %s SELECT * FROM %s WHERE %s = ANY (?::text[]::%s[])".formatted(twin(), table(), key(), keyType);
    }

    /** Count and hash of each interval's rows; the same text on both tables, so their answers must be equal. */
    public String rangeDigest(String relation) {
        String unit = switch (conversion.interval()) {
            case DAY -> "day";
            case WEEK -> "week";
            case MONTH -> "month";
            case YEAR -> "year";
        };
        String at = columnType == ColumnType.TIMESTAMPTZ ? column() + " AT TIME ZONE 'UTC'" : column();
        return """
                SELECT date_trunc('%s', %s)::text AS r, count(*), coalesce(sum(hashtext(x::text)::bigint), 0)
                FROM %s x GROUP BY 1 ORDER BY 1""".formatted(unit, at, relation);
    }

    public List<String> swap() {
        return List.of(
                "DROP TRIGGER %s ON %s".formatted(trigger(), table()),
                "ALTER TABLE %s RENAME TO %s".formatted(table(), SqlIdentifier.quote(oldName())),
                "ALTER TABLE %s RENAME TO %s".formatted(twin(), SqlIdentifier.quote(conversion.table())));
    }

    public List<String> cleanUp() {
        return List.of("DROP TABLE IF EXISTS " + log(), "DROP FUNCTION IF EXISTS " + function() + "()");
    }
}
