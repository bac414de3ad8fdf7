package io.sluice.partitionmanager;

import java.util.List;
import java.util.UUID;

import io.sluice.testing.PostgresNode;
import io.sluice.testing.SluiceInfra;

/** Small helpers over the harness's real primary, for test set-up and assertions. */
final class Pg {

    private Pg() {
    }

    static PostgresNode primary() {
        return SluiceInfra.get().primary();
    }

    static String uniqueTable(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static void exec(String sql, Object... params) {
        primary().execute(sql, params);
    }

    static long count(String sql, Object... params) {
        return Long.parseLong(primary().queryValue(sql, params));
    }

    /** Names of the partitions attached to public.{table}, sorted. */
    static List<String> partitions(String table) {
        return primary().query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = ?::regclass ORDER BY c.relname""", "public." + table)
                .stream().map(r -> (String) r.get("relname")).toList();
    }

    static boolean exists(String table) {
        return "t".equals(primary().queryValue("SELECT to_regclass(?) IS NOT NULL", "public." + table));
    }

    /** Every test forgets its sets, so readiness (which covers every set) stays UP for the other tests. */
    static void forgetAllSets() {
        exec("DELETE FROM sluice_partman.partition_set");
    }
}
