package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;

/** Small builders for the tests: a fresh table per test and query requests. */
final class CacheApi {

    static final String ADMIN = "Bearer test-admin-token";

    private CacheApi() {
    }

    /** A new table {@code t_<uuid>(id int primary key, v text)} with rows (1,'one'), (2,'two'). */
    static String table() {
        String t = "t_" + UUID.randomUUID().toString().replace("-", "");
        SluiceInfra.get().primary().execute("CREATE TABLE " + t + " (id int PRIMARY KEY, v text)");
        SluiceInfra.get().primary().execute("INSERT INTO " + t + " VALUES (1, 'one'), (2, 'two')");
        return t;
    }

    static String namespace() {
        return "ns-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static Query query(String namespace, String sql) {
        return new Query(namespace, sql);
    }

    /** A query request builder. */
    static final class Query {
        private final Map<String, Object> body = new LinkedHashMap<>();

        Query(String namespace, String sql) {
            body.put("namespace", namespace);
            body.put("sql", sql);
        }

        Query params(Object... params) {
            body.put("params", List.of(params));
            return this;
        }

        Query ttl(long seconds) {
            body.put("ttl_s", seconds);
            return this;
        }

        Query tags(String... tags) {
            body.put("tags", new ArrayList<>(List.of(tags)));
            return this;
        }

        Query staleWhileRevalidate(long seconds) {
            body.put("stale_while_revalidate_s", seconds);
            return this;
        }

        Query staleIfError(long seconds) {
            body.put("stale_if_error_s", seconds);
            return this;
        }

        Map<String, Object> body() {
            return body;
        }

        Response post() {
            return given().contentType("application/json").body(body).when().post("/v1/cache/query");
        }
    }

    /** How many times PostgreSQL ran statements whose text contains the marker (SELECTs only: the test's own CREATE and INSERT are not counted). */
    static long executions(String marker) {
        String v = SluiceInfra.get().primary().queryValue(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE ? AND query ILIKE 'select%'", "%" + marker + "%");
        return Long.parseLong(v);
    }
}
