package io.sluice.replicarouter.wire;

import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The types PostgreSQL infers for a statement's $n parameters, so that text parameters can be bound as the
 * reactive client requires. Learned once per SQL text with PREPARE + pg_prepared_statements (nothing is
 * executed) and cached, bounded. Only SELECT/INSERT/UPDATE/DELETE/MERGE/VALUES/WITH can be prepared this way;
 * other statements keep their parameters as text.
 */
@ApplicationScoped
public class ParamTypes {

    private static final java.util.Set<String> PREPARABLE =
            java.util.Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "WITH", "TABLE");

    private final Cache<String, List<String>> cache = Caffeine.newBuilder().maximumSize(10_000).build();

    /**
     * @param database the database the statement runs in: the same text may mean other types in another
     * @param single whether the text holds one statement: several are never spliced into PREPARE (the simple
     *        protocol would run the others), so the execution itself fails with PostgreSQL's error, harmlessly
     * @return the parameter types, or null when the statement cannot be described this way
     */
    public Uni<List<String>> of(SqlClient client, String database, String sql, String command, boolean single) {
        if (!single || !PREPARABLE.contains(command)) {
            return Uni.createFrom().nullItem();
        }
        String key = database + '\u0000' + sql;
        List<String> cached = cache.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        // The newline ends a trailing -- comment so it cannot swallow the next statement.
        String describe = "PREPARE sluice_describe AS " + sql + "\n;"
                + "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = 'sluice_describe';"
                + "DEALLOCATE sluice_describe";
        return client.query(describe).execute().map(ParamTypes::typesOf)
                .invoke(types -> cache.put(key, types));
    }

    private static List<String> typesOf(RowSet<Row> prepareResult) {
        RowSet<Row> select = prepareResult.next();
        String[] types = select.iterator().next().getArrayOfStrings(0);
        return types == null ? List.of() : Arrays.asList(types);
    }
}
