package io.sluice.querymonitor.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.common.problem.ProblemException;
import io.sluice.querymonitor.aggregate.AggregateStore;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.querymonitor.db.DatabasePools;
import io.sluice.querymonitor.explain.ReadOnlyExplain;
import io.sluice.querymonitor.index.CandidateExtractor.IndexCandidate;
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.query.QueryStatsService;
import io.sluice.querymonitor.query.SortBy;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Index advice for the slowest fingerprints (by mean, among samples reported for the database): candidate indexes
 * (single and multi-column, see {@link CandidateExtractor}) from their retained samples or, failing that, their
 * masked texts (costed as generic plans), minus those an existing index already leads with; with HypoPG each
 * candidate is built hypothetically and the statements re-explained, and only a cost drop of at least the configured
 * fraction makes it a suggestion. Without HypoPG the candidates are returned unverified. A suggestion is left out
 * when a longer one that starts with its columns helps the same statements at least as much.
 */
@ApplicationScoped
public class IndexAdvisor {

    public record Advice(String database, boolean hypopg, List<Suggestion> suggestions) {
    }

    private static final String HYPOPG = "SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'";
    /**
     * The table, whether every column exists, and whether an index already leads with those columns in that order
     * (indkey is an int2vector: its text is the attribute numbers separated by spaces).
     */
    private static final String RESOLVE = """
            WITH cols AS (
                SELECT a.attnum, k.ord
                FROM unnest($2::text[]) WITH ORDINALITY AS k(name, ord)
                JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attname = k.name
                                   AND NOT a.attisdropped AND a.attnum > 0)
            SELECT n.nspname, c.relname,
                   (SELECT count(*) FROM cols) = cardinality($2::text[]) AS complete,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid
                           AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality($2::text[])]
                               = (SELECT array_agg(attnum ORDER BY ord) FROM cols)) AS covered
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')""";

    private record Candidate(IndexCandidate index, Map<String, AdvisedStatement> byFingerprint) {
    }

    private record Resolved(String schema, String table, List<String> columns,
            Map<String, AdvisedStatement> byFingerprint) {
        String qualified() {
            return "\"" + schema + "\".\"" + table + "\"";
        }

        /** "table" ("a", "b"): the identifiers were checked against the catalog and are quoted. */
        String indexOn() {
            return qualified() + " (" + String.join(", ", columns.stream().map(c -> "\"" + c + "\"").toList()) + ")";
        }
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(IndexAdvisor.class);

    private final QueryStatsService stats;
    private final AggregateStore store;
    private final DatabasePools pools;
    private final ReadOnlyExplain readOnly;
    private final QueryMonitorConfig config;

    public IndexAdvisor(QueryStatsService stats, AggregateStore store, DatabasePools pools, ReadOnlyExplain readOnly,
            QueryMonitorConfig config) {
        this.stats = stats;
        this.store = store;
        this.pools = pools;
        this.readOnly = readOnly;
        this.config = config;
    }

    public Uni<Advice> suggest(String database, Window window) {
        return stats.top(window, Optional.of(database), SortBy.MEAN, config.advice().fingerprints())
                .chain(top -> Multi.createFrom().iterable(top.stream().filter(s -> s.calls() > 0).toList())
                        .onItem().transformToUniAndConcatenate(this::statementOf)
                        .filter(java.util.Objects::nonNull).collect().asList())
                .chain(samples -> readOnly.inReadOnlyTransaction(pools.get(database),
                        conn -> advise(conn, database, candidates(samples))));
    }

    /** The retained sample with its values when there is one (today's behaviour), else the masked text. */
    private Uni<AdvisedStatement> statementOf(QueryStats s) {
        return store.retainedSample(s.fingerprint()).map(sample -> sample != null
                ? AdvisedStatement.ofSample(s.fingerprint(), sample.sql())
                : s.sql() == null ? null : AdvisedStatement.ofMasked(s.fingerprint(), s.sql()));
    }

    private static List<Candidate> candidates(List<AdvisedStatement> statements) {
        LOG.debugf("index advice: %d statements of the slowest fingerprints", statements.size());
        Map<IndexCandidate, Map<String, AdvisedStatement>> byIndex = new LinkedHashMap<>();
        for (AdvisedStatement s : statements) {
            for (var index : CandidateExtractor.candidates(s.text())) {
                byIndex.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(s.fingerprint(), s);
            }
        }
        return byIndex.entrySet().stream().map(e -> new Candidate(e.getKey(), e.getValue())).toList();
    }

    private Uni<Advice> advise(SqlConnection conn, String database, List<Candidate> candidates) {
        return conn.query(HYPOPG).execute().map(rs -> rs.iterator().next().getLong(0) > 0).chain(hypopg ->
                Multi.createFrom().iterable(candidates).onItem().transformToUniAndConcatenate(c -> resolve(conn, c))
                        .filter(java.util.Objects::nonNull)
                        .onItem().transformToUniAndConcatenate(r -> hypopg ? verify(conn, r)
                                : Uni.createFrom().item(suggestion(r, false, null, null, List.copyOf(
                                        r.byFingerprint().keySet()))))
                        .filter(java.util.Objects::nonNull)
                        .collect().asList()
                        .map(list -> new Advice(database, hypopg, SuggestionPruning.withoutPrefixes(list))));
    }

    /**
     * Whether {@code database} already has every index the statement could use (each candidate's columns lead an
     * existing index): such a slow statement has no index left to suggest. False when one is missing, a table is
     * unknown there, or it cannot be checked.
     */
    public Uni<Boolean> alreadyIndexed(String database, String sql) {
        var indexes = CandidateExtractor.candidates(sql);
        if (indexes.isEmpty() || database == null || !pools.names().contains(database)) {
            return Uni.createFrom().item(false);
        }
        return readOnly.inReadOnlyTransaction(pools.get(database), conn -> Multi.createFrom().iterable(indexes)
                .onItem().transformToUniAndConcatenate(index -> catalogRow(conn, index)
                        .map(row -> row != null && row.getBoolean("complete") && row.getBoolean("covered")))
                .collect().asList().map(covered -> covered.stream().allMatch(c -> c)))
                .onFailure().recoverWithItem(false);
    }

    /** The candidate's table and columns, checked against the catalog; null when missing or already indexed. */
    private Uni<Resolved> resolve(SqlConnection conn, Candidate c) {
        LOG.debugf("index advice: candidate %s", c.index());
        return catalogRow(conn, c.index()).map(row -> row == null || !row.getBoolean("complete")
                || row.getBoolean("covered") ? null
                        : new Resolved(row.getString("nspname"), row.getString("relname"), c.index().columns(),
                                c.byFingerprint()));
    }

    /** {@link #RESOLVE}'s row for the candidate; null when its names are not plain identifiers or no table has them. */
    private static Uni<Row> catalogRow(SqlConnection conn, IndexCandidate index) {
        boolean plain = index.columns().stream().allMatch(col -> CandidateExtractor.IDENTIFIER.matcher(col).matches())
                && Arrays.stream(index.table().split("\\."))
                        .allMatch(p -> CandidateExtractor.IDENTIFIER.matcher(p).matches());
        if (!plain) {
            return Uni.createFrom().nullItem();
        }
        return conn.preparedQuery(RESOLVE).execute(Tuple.of(index.table(), index.columns().toArray(String[]::new)))
                .map(rs -> rs.iterator().hasNext() ? rs.iterator().next() : null);
    }

    /**
     * Re-explains each statement with the hypothetical index; keeps the fingerprints it helps enough. A statement
     * PostgreSQL cannot explain (say, a masked text whose placeholders it cannot type) is skipped, not fatal; a
     * hypothetical index outlives a rollback, so it is reset on failure too.
     */
    private Uni<Suggestion> verify(SqlConnection conn, Resolved r) {
        String ddl = "CREATE INDEX ON " + r.indexOn();
        return Multi.createFrom().iterable(r.byFingerprint().entrySet())
                .onItem().transformToUniAndConcatenate(e -> ReadOnlyExplain.inSavepoint(conn, "sluice_advice",
                        () -> e.getValue().cost(conn)
                                .chain(before -> conn.preparedQuery("SELECT * FROM hypopg_create_index($1)")
                                        .execute(Tuple.of(ddl))
                                        .chain(() -> e.getValue().cost(conn))
                                        .call(() -> conn.query("SELECT hypopg_reset()").execute())
                                        .map(after -> Map.entry(e.getKey(), new double[] {before, after}))),
                        () -> conn.query("SELECT hypopg_reset()").execute().replaceWithVoid())
                        .onFailure(f -> f instanceof PgException || f instanceof ProblemException)
                        .recoverWithItem(f -> {
                            LOG.warnf("index advice: fingerprint %s cannot be explained (%s), skipped", e.getKey(),
                                    f instanceof PgException pg ? "SQLSTATE " + pg.getSqlState() : f.getMessage());
                            return null;
                        }))
                .filter(java.util.Objects::nonNull)
                .collect().asList()
                .map(results -> {
                    results.forEach(res -> LOG.debugf("index on %s%s: cost %s -> %s for %s", r.table(), r.columns(),
                            res.getValue()[0], res.getValue()[1], res.getKey()));
                    List<String> helped = new ArrayList<>();
                    double[] best = null;
                    for (var res : results) {
                        double[] c = res.getValue();
                        if (c[0] > 0 && 1 - c[1] / c[0] >= config.advice().minCostReduction()) {
                            helped.add(res.getKey());
                            if (best == null || 1 - c[1] / c[0] > 1 - best[1] / best[0]) {
                                best = c;
                            }
                        }
                    }
                    return helped.isEmpty() ? null : suggestion(r, true, best[0], best[1], helped);
                });
    }

    private static Suggestion suggestion(Resolved r, boolean verified, Double before, Double after,
            List<String> fingerprints) {
        String create = "CREATE INDEX CONCURRENTLY ON " + r.indexOn();
        Double reduction = before == null ? null : Math.round((1 - after / before) * 1000) / 1000.0;
        return new Suggestion(r.schema() + "." + r.table(), r.columns(), create, verified, before, after,
                reduction, fingerprints);
    }

}
