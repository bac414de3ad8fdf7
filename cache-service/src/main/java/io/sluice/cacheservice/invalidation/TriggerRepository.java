package io.sluice.cacheservice.invalidation;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.cacheservice.config.CacheServiceConfig;
import io.sluice.common.problem.CommonProblem;
import io.sluice.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Installs, per table, a statement-level trigger that NOTIFYs the table's name (and the time) after any INSERT,
 * UPDATE, DELETE or TRUNCATE, for writes that bypass replica-router. Identifiers are checked and quoted; the
 * function and triggers are replaced if they exist, so installing twice is harmless.
 */
@ApplicationScoped
public class TriggerRepository {

    private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

    private static final String FUNCTION = """
            CREATE OR REPLACE FUNCTION public.sluice_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
              PERFORM pg_notify('%s', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || '|'
                || (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
              RETURN NULL;
            END $f$""";
    private static final String TRIGGER = """
            CREATE OR REPLACE TRIGGER sluice_cache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "%s"."%s"
            FOR EACH STATEMENT EXECUTE FUNCTION public.sluice_cache_notify()""";

    private final Pool pool;
    private final String channel;

    public TriggerRepository(Pool pool, CacheServiceConfig config) {
        this.pool = pool;
        this.channel = identifier(config.invalidation().notifyChannel(), "notify channel");
    }

    /** @return the tables as schema.table */
    public Uni<List<String>> install(List<String> tables) {
        List<String[]> names = tables.stream().map(TriggerRepository::split).toList();
        return pool.withTransaction(conn -> {
            Uni<Void> chain = conn.query(FUNCTION.formatted(channel)).execute().replaceWithVoid();
            for (String[] n : names) {
                chain = chain.chain(() -> conn.query(TRIGGER.formatted(n[0], n[1])).execute().replaceWithVoid());
            }
            return chain;
        }).map(ok -> names.stream().map(n -> n[0] + "." + n[1]).toList());
    }

    private static String[] split(String table) {
        String t = table == null ? "" : table.trim();
        int dot = t.indexOf('.');
        String schema = dot < 0 ? "public" : t.substring(0, dot);
        String name = dot < 0 ? t : t.substring(dot + 1);
        return new String[] {identifier(schema, "schema"), identifier(name, "table")};
    }

    private static String identifier(String s, String what) {
        if (s == null || !IDENTIFIER.matcher(s).matches()) {
            throw new ProblemException(CommonProblem.VALIDATION_FAILED,
                    what + " must match " + IDENTIFIER.pattern() + ": " + s);
        }
        return s;
    }
}
