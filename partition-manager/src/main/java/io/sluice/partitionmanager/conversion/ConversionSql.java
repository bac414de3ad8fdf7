package io.sluice.partitionmanager.conversion;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.sluice.partitionmanager.db.Names;
import io.sluice.partitionmanager.policy.ColumnType;
import io.sluice.partitionmanager.policy.Interval;
import io.sluice.partitionmanager.policy.PartitionPlanner;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * The names and statements of one conversion, all from catalog names (always quoted) and catalog type names. The twin
 * is {@code <table>_pm_new} until the swap; the change log, its trigger and function carry the conversion's tag. The
 * log holds the primary key of every written row in columns k1..kn of the key's own types, so a key is read back
 * exactly whatever the writer's session settings were; keys travel to and from Java as text in this service's session.
 *
 * @param keyTypes the key columns' types as format_type prints them
 * @param columns the quoted columns an INSERT names (generated ones are computed by the twin)
 * @param hashRecords whether every column's type has a hash function, so a row's digest hashes its values
 *        (hash_record_extended, 64 bits) rather than its text (twice the work)
 */
public record ConversionSql(Conversion conversion, List<String> keyTypes, ColumnType columnType, List<String> columns,
        boolean hashRecords) {

    public String table() {
        return schema() + "." + SqlIdentifier.quote(conversion.table());
    }

    private String schema() {
        return SqlIdentifier.quote(conversion.schema());
    }

    public String twinName() {
        return Names.fit(conversion.table(), "_pm_new");
    }

    public String twin() {
        return schema() + "." + SqlIdentifier.quote(twinName());
    }

    public String oldName() {
        return Names.fit(conversion.table(), "_unpartitioned");
    }

    public String defaultName() {
        return Names.fit(conversion.table(), "_default");
    }

    public String log() {
        return "sluice_partman.\"conv_" + conversion.tag() + "_log\"";
    }

    public String column() {
        return SqlIdentifier.quote(conversion.column());
    }

    /** The capture trigger's name, as PostgreSQL prints it (no quotes needed). */
    public String trigger() {
        return "sluice_conv_" + conversion.tag();
    }

    private String function() {
        return "sluice_partman.\"conv_" + conversion.tag() + "_fn\"";
    }

    private List<String> keys() {
        return conversion.keyColumns().stream().map(SqlIdentifier::quote).toList();
    }

    private String keyList(String alias) {
        return keys().stream().map(k -> alias + k).collect(Collectors.joining(", "));
    }

    private List<String> logKeys() {
        return IntStream.rangeClosed(1, keyTypes.size()).mapToObj(i -> "k" + i).toList();
    }

    /** Names of the twin's range partitions from {@code first} up to {@code last}, in order. */
    public List<LocalDate> partitionStarts(LocalDate first, LocalDate last) {
        Interval interval = conversion.interval();
        List<LocalDate> starts = new ArrayList<>();
        for (LocalDate from = interval.floor(first); !from.isAfter(last); from = interval.next(from)) {
            starts.add(from);
        }
        return starts;
    }

    public String partitionName(LocalDate from) {
        return PartitionPlanner.partitionName(conversion.table(), conversion.interval(), from);
    }

    /**
     * The twin: every column with its defaults, identity (a sequence of its own), generation, checks, storage and
     * comments; partitions from {@code first} up to {@code last} (inclusive), and a default partition for any row
     * outside them (emptied by the default-partition doctor before the swap).
     */
    public List<String> createTwin(LocalDate first, LocalDate last) {
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING CONSTRAINTS"
                .formatted(twin(), table()) + " INCLUDING STORAGE INCLUDING COMMENTS INCLUDING COMPRESSION)"
                + " PARTITION BY RANGE (" + column() + ")");
        Interval interval = conversion.interval();
        for (LocalDate from : partitionStarts(first, last)) {
            ddl.add("CREATE TABLE %s.%s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)".formatted(schema(),
                    SqlIdentifier.quote(partitionName(from)), twin(), columnType.boundLiteral(from, ZoneOffset.UTC),
                    columnType.boundLiteral(interval.next(from), ZoneOffset.UTC)));
        }
        ddl.add("CREATE TABLE %s.%s PARTITION OF %s DEFAULT".formatted(schema(), SqlIdentifier.quote(defaultName()), twin()));
        return ddl;
    }

    /** The change log and the trigger that fills it with the key of every row written during the conversion. */
    public List<String> captureChanges() {
        String logColumns = IntStream.range(0, keyTypes.size())
                .mapToObj(i -> "k" + (i + 1) + " " + keyTypes.get(i) + " NOT NULL").collect(Collectors.joining(", "));
        String into = "INSERT INTO %s (%s) VALUES ".formatted(log(), String.join(", ", logKeys()));
        return List.of(
                "CREATE TABLE " + log() + " (seq bigserial PRIMARY KEY, " + logColumns + ")",
                """
                CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                  IF TG_OP IN ('UPDATE', 'DELETE') THEN %s(%s); END IF;
                  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (%s) IS DISTINCT FROM (%s)) THEN %s(%s); END IF;
                  RETURN NULL;
                END $fn$""".formatted(function(), into, keyList("OLD."), keyList("OLD."), keyList("NEW."), into,
                        keyList("NEW.")),
                "CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()"
                        .formatted(trigger(), table(), function()));
    }

    private String lastKeyCondition() {
        String casts = keyTypes.stream().map(t -> "?::" + t).collect(Collectors.joining(", "));
        return "WHERE (" + keyList("") + ") > (" + casts + ")";
    }

    /**
     * One batch: the next rows by key (after the last key's n parameters, unless first), then the batch size;
     * copied into the twin. Answers the batch's row count and its last key as text (no row when it was empty).
     */
    public String copyBatch(boolean first) {
        String cols = String.join(", ", columns);
        // Qualified, so ORDER BY means the key itself, not the text output column of the same name.
        String desc = keys().stream().map(k -> "b." + k + " DESC").collect(Collectors.joining(", "));
        String lastKey = keys().stream().map(k -> "b." + k + "::text").collect(Collectors.joining(", "));
        return """
                WITH b AS MATERIALIZED (SELECT * FROM %s %s ORDER BY %s LIMIT ?),
                ins AS (INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM b)
                SELECT count(*) OVER (), %s FROM b ORDER BY %s LIMIT 1""".formatted(table(),
                first ? "" : lastKeyCondition(), keyList(""), twin(), cols, cols, lastKey, desc);
    }

    /** Takes (deletes) the oldest logged keys, up to the parameter; answers them as text. */
    public String takeChanges() {
        String keysAsText = logKeys().stream().map(k -> k + "::text").collect(Collectors.joining(", "));
        return "DELETE FROM %s WHERE seq IN (SELECT seq FROM %s ORDER BY seq LIMIT ?) RETURNING %s"
                .formatted(log(), log(), keysAsText);
    }

    /** Keys logged and not yet replayed, as text. */
    public String pendingKeys() {
        String keysAsText = logKeys().stream().map(k -> k + "::text").collect(Collectors.joining(", "));
        return "SELECT DISTINCT " + keysAsText + " FROM " + log();
    }

    /**
     * Rows whose key is in the arrays bound by {@link #bindKeys}: the first key column's = ANY lets the primary key's
     * index find them; the row comparison keeps only whole keys.
     */
    private String keyMatch(String alias) {
        String first = alias + keys().get(0) + " = ANY (?::text[]::" + keyTypes.get(0) + "[])";
        if (keyTypes.size() == 1) {
            return first;
        }
        String arrays = keyTypes.stream().map(t -> "?::text[]::" + t + "[]").collect(Collectors.joining(", "));
        return first + " AND (" + keyList(alias) + ") IN (SELECT * FROM unnest(" + arrays + "))";
    }

    /** How many array parameters {@link #keyMatch} takes: the first key column once more when the key is composite. */
    public int keyArrays() {
        return keyTypes.size() == 1 ? 1 : keyTypes.size() + 1;
    }

    public String deleteChanged() {
        return "DELETE FROM %s x WHERE %s".formatted(twin(), keyMatch("x."));
    }

    public String insertChanged() {
        String cols = String.join(", ", columns);
        return "INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %s x WHERE %s".formatted(twin(), cols, cols,
                table(), keyMatch("x."));
    }

    /** Count and hash of the rows with the bound keys; the same text on both tables, so the answers must be equal. */
    public String keyDigest(String relation) {
        return "SELECT count(*), coalesce(sum(%s), 0) FROM %s x WHERE %s".formatted(rowHash(), relation,
                keyMatch("x."));
    }

    /**
     * Count and hash of each interval's rows; the same text on both tables. With {@code pendingOnly}, of the rows whose
     * key is still in the change log (found by key): subtracted from the totals, what is left must be equal in one
     * snapshot (sums add up, so no anti-join slows the scan of the whole table).
     */
    public String rangeDigest(String relation, boolean pendingOnly) {
        String unit = switch (conversion.interval()) {
            case DAY -> "day";
            case WEEK -> "week";
            case MONTH -> "month";
            case YEAR -> "year";
        };
        String at = switch (columnType) {
            case TIMESTAMPTZ -> column() + " AT TIME ZONE 'UTC'";
            case DATE -> column() + "::timestamp";
            case TIMESTAMP -> column();
        };
        String where = !pendingOnly ? "" : " WHERE (" + keyList("x.") + ") IN (SELECT "
                + String.join(", ", logKeys()) + " FROM " + log() + ")";
        return """
                SELECT date_trunc('%s', %s)::text AS r, count(*), coalesce(sum(%s), 0)
                FROM %s x%s GROUP BY 1 ORDER BY 1""".formatted(unit, at, rowHash(), relation, where);
    }

    /** A row's hash: of its values when every type has a hash function, else of its text. */
    private String rowHash() {
        return hashRecords ? "hash_record_extended(x, 0)" : "hashtext(x::text)::bigint";
    }

    /** Answers a row's value hash, or fails when a column's type has no hash function. */
    public String probeRecordHash() {
        return "SELECT hash_record_extended(x, 0) FROM " + table() + " x LIMIT 1";
    }

    public List<String> cleanUp() {
        return List.of("DROP TABLE IF EXISTS " + log(), "DROP FUNCTION IF EXISTS " + function() + "()");
    }

    /** Binds a set of keys as the arrays {@link #keyMatch} expects, from {@code index}; returns the next index. */
    public int bindKeys(java.sql.PreparedStatement st, int index, ChangedKeys keys) throws java.sql.SQLException {
        var c = st.getConnection();
        List<String[]> columnsOfKeys = keys.columns(keyTypes.size());
        st.setArray(index++, c.createArrayOf("text", columnsOfKeys.get(0)));
        if (keyTypes.size() > 1) {
            for (String[] values : columnsOfKeys) {
                st.setArray(index++, c.createArrayOf("text", values));
            }
        }
        return index;
    }
}
