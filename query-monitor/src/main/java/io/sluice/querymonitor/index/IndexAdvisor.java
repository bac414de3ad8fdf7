package io.sluice.querymonitor.index;

import java.util.ArrayList;
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
import io.sluice.querymonitor.query.QueryStats;
import io.sluice.querymonitor.query.QueryStatsService;
import io.sluice.querymonitor.query.SortBy;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Index advice for the slowest fingerprints (by mean, among samples reported for the database): candidate
 * columns from their retained samples or, failing that, their masked texts (costed as generic plans), minus those an
 * existing index already leads with; with HypoPG each candidate is built hypothetically and the statements
 * re-explained, and only a cost drop of at least the configured fraction makes it a suggestion. Without HypoPG the candidates are returned unverified.
 */
@ApplicationScoped
public class IndexAdvisor {

    public record Advice(String database, boolean hypopg, List<Suggestion> suggestions) {
    }

    private static final String HYPOPG = "SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'";
    /** The table and column, and whether an index already leads with that column. */
    private static final String RESOLVE = """
            SELECT n.nspname, c.relname,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum) AS covered
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped AND a.attnum > 0
            WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')""";

    private record Candidate(CandidateExtractor.ColumnRef ref, Map<String, AdvisedStatement> byFingerprint) {
    }

    private record Resolved(String schema, String table, String column, Map<String, AdvisedStatement> byFingerprint) {
        String qualified() {
            return "\"" + schema + "\".\"" + table + "\"";
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
        Map<CandidateExtractor.ColumnRef, Map<String, AdvisedStatement>> byColumn = new LinkedHashMap<>();
        for (AdvisedStatement s : statements) {
            for (var ref : CandidateExtractor.columns(s.text())) {
                byColumn.computeIfAbsent(ref, k -> new LinkedHashMap<>()).put(s.fingerprint(), s);
            }
        }
        return byColumn.entrySet().stream().map(e -> new Candidate(e.getKey(), e.getValue())).toList();
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
                        .map(list -> new Advice(database, hypopg, list)));
    }

    /** The candidate's table and column, checked against the catalog; null when missing or already indexed. */
    private Uni<Resolved> resolve(SqlConnection conn, Candidate c) {
        String[] parts = c.ref().table().split("\\.");
        for (String p : parts) {
            if (!CandidateExtractor.IDENTIFIER.matcher(p).matches()) {
                return Uni.createFrom().nullItem();
            }
        }
        LOG.debugf("index advice: candidate %s", c.ref());
        return conn.preparedQuery(RESOLVE).execute(Tuple.of(c.ref().table(), c.ref().column())).map(rs -> {
            if (!rs.iterator().hasNext()) {
                return null;
            }
            var row = rs.iterator().next();
            return row.getBoolean("covered") ? null
                    : new Resolved(row.getString("nspname"), row.getString("relname"), c.ref().column(),
                            c.byFingerprint());
        });
    }

    /**
     * Re-explains each statement with the hypothetical index; keeps the fingerprints it helps enough. A statement
     * PostgreSQL cannot explain (say, a masked text whose placeholders it cannot type) is skipped, not fatal; a
     * hypothetical index outlives a rollback, so it is reset on failure too.
     */
    private Uni<Suggestion> verify(SqlConnection conn, Resolved r) {
        String ddl = "CREATE INDEX ON " + r.qualified() + " (\"" + r.column() + "\")";
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
                    results.forEach(res -> LOG.debugf("index on %s(%s): cost %s -> %s for %s", r.table(), r.column(),
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
        String create = "CREATE INDEX CONCURRENTLY ON " + r.qualified() + " (\"" + r.column() + "\")";
        Double reduction = before == null ? null : Math.round((1 - after / before) * 1000) / 1000.0;
        return new Suggestion(r.schema() + "." + r.table(), List.of(r.column()), create, verified, before, after,
                reduction, fingerprints);
    }

}
