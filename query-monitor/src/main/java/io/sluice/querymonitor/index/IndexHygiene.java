package io.sluice.querymonitor.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.QueryMonitorProblem;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Unused and duplicate indexes. An index is called unused only when its scans summed over every configured
 * database (primary and replicas: a replica's reads use indexes the primary never sees) are zero; if a database
 * did not answer, the answer says the sum is incomplete. Unique and primary-key indexes are never unused: they
 * enforce constraints.
 */
@ApplicationScoped
public class IndexHygiene {

    public record UnusedIndex(String schema, String table, String index, long sizeBytes,
            Map<String, Long> scansByDatabase) {
    }

    public record DuplicateIndexes(String table, List<String> indexes, String definition) {
    }

    public record Report(List<String> countedDatabases, List<String> unreachableDatabases, boolean complete,
            List<UnusedIndex> unused, List<DuplicateIndexes> duplicates) {
    }

    private static final String USAGE = """
            SELECT s.schemaname, s.relname, s.indexrelname, s.idx_scan, pg_relation_size(s.indexrelid) AS size
            FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
            WHERE NOT i.indisunique AND NOT i.indisprimary""";
    private static final String DUPLICATES = """
            SELECT indrelid::regclass::text AS tbl, array_agg(indexrelid::regclass::text ORDER BY indexrelid) AS idx,
                   min(pg_get_indexdef(indexrelid)) AS def
            FROM pg_index
            GROUP BY indrelid, indkey::text, indclass::text, indcollation::text,
                     coalesce(pg_get_expr(indexprs, indrelid), ''), coalesce(pg_get_expr(indpred, indrelid), '')
            HAVING count(*) > 1""";

    private record Usage(String database, List<Row> rows) {
    }

    private final DatabasePools pools;
    private final QueryMonitorConfig config;

    public IndexHygiene(DatabasePools pools, QueryMonitorConfig config) {
        this.pools = pools;
        this.config = config;
    }

    public Uni<Report> report() {
        Uni<List<Usage>> usage = Multi.createFrom().iterable(pools.names())
                .onItem().transformToUniAndConcatenate(db -> pools.get(db).query(USAGE).execute()
                        .map(rs -> {
                            List<Row> rows = new ArrayList<>();
                            rs.forEach(rows::add);
                            return new Usage(db, rows);
                        })
                        .onFailure().recoverWithItem(new Usage(db, null)))
                .collect().asList();
        Uni<List<DuplicateIndexes>> duplicates = pools.get(config.defaultDatabase()).query(DUPLICATES).execute()
                .map(rs -> {
                    List<DuplicateIndexes> out = new ArrayList<>();
                    for (Row r : rs) {
                        List<String> idx = new ArrayList<>();
                        for (Object o : r.getArrayOfStrings("idx")) {
                            idx.add(o.toString());
                        }
                        out.add(new DuplicateIndexes(r.getString("tbl"), idx, r.getString("def")));
                    }
                    return out;
                });
        return Uni.combine().all().unis(usage, duplicates).with(this::report)
                .onFailure().transform(e -> new ProblemException(QueryMonitorProblem.DATABASE_UNAVAILABLE,
                        config.defaultDatabase() + " did not answer: " + e.getMessage()));
    }

    private Report report(List<Usage> usage, List<DuplicateIndexes> duplicates) {
        Map<String, UnusedIndex> byIndex = new TreeMap<>();
        List<String> counted = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (Usage u : usage) {
            if (u.rows() == null) {
                unreachable.add(u.database());
                continue;
            }
            counted.add(u.database());
            for (Row r : u.rows()) {
                String key = r.getString("schemaname") + "." + r.getString("indexrelname");
                UnusedIndex idx = byIndex.computeIfAbsent(key, k -> new UnusedIndex(r.getString("schemaname"),
                        r.getString("relname"), r.getString("indexrelname"), r.getLong("size"), new TreeMap<>()));
                idx.scansByDatabase().merge(u.database(), r.getLong("idx_scan"), Long::sum);
            }
        }
        List<UnusedIndex> unused = byIndex.values().stream()
                .filter(i -> i.scansByDatabase().values().stream().mapToLong(Long::longValue).sum() == 0).toList();
        return new Report(counted, unreachable, unreachable.isEmpty(), unused, duplicates);
    }
}
