package io.sluice.cacheservice.query;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Loads on the service's own reactive PostgreSQL pool (no router configured). Parameters are bound as their JSON
 * types (string, number, boolean, null); the statement runs in a read-only transaction, so a statement the
 * classifier wrongly let through still cannot write.
 */
public class PoolQueryLoader implements QueryLoader {

    private final Pool pool;
    private final ObjectMapper json;

    public PoolQueryLoader(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    @Override
    public String source() {
        return "pool";
    }

    @Override
    public Uni<ArrayNode> load(QuerySpec query) {
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION READ ONLY").execute()
                .chain(() -> conn.preparedQuery(query.sql()).execute(tuple(query.params()))))
                .map(rows -> {
                    ArrayNode out = json.createArrayNode();
                    for (Row row : rows) {
                        out.add(json.valueToTree(row.toJson().getMap()));
                    }
                    return out;
                })
                .onFailure().transform(PoolQueryLoader::failure);
    }

    private static Tuple tuple(List<JsonNode> params) {
        Tuple t = Tuple.tuple();
        for (JsonNode p : params) {
            t.addValue(value(p));
        }
        return t;
    }

    private static Object value(JsonNode p) {
        if (p == null || p.isNull()) {
            return null;
        }
        if (p.isBoolean()) {
            return p.booleanValue();
        }
        if (p.isIntegralNumber()) {
            return p.canConvertToInt() ? (Object) p.intValue() : (Object) p.longValue();
        }
        if (p.isNumber()) {
            return p.doubleValue();
        }
        if (p.isTextual()) {
            return p.textValue();
        }
        return p.isArray() ? new JsonArray(p.toString()) : new JsonObject(p.toString());
    }

    private static Throwable failure(Throwable e) {
        if (e instanceof LoadFailure) {
            return e;
        }
        if (e instanceof PgException pg && pg.getSqlState() != null && !pg.getSqlState().startsWith("08")
                && !pg.getSqlState().startsWith("57") && !pg.getSqlState().startsWith("53")) {
            return new LoadFailure(pg.getErrorMessage(), true, pg.getSqlState(), e);
        }
        return new LoadFailure("database unavailable: " + e.getMessage(), false, null, e);
    }
}
