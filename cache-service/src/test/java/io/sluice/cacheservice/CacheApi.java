package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.response.Response;
import io.sluice.cacheservice.invalidation.FailSafeInvalidation;
import io.sluice.testing.SluiceInfra;

/** Small builders for the tests: a fresh table per test and query requests. */
final class CacheApi {

    static final String ADMIN = "Bearer test-admin-token";

    private CacheApi() {
    }

    /**
     * Waits until no invalidation of every query result is due: none deferred on this instance and the database
     * tag unchanged for longer than the fail safe's interval (2 s in tests). A Redis restart owes the fleet one (or
     * a few, rate-limited); landing in a later test, it would turn that test's hits into misses.
     */
    static void awaitNoInvalidationOfEverythingDue(FailSafeInvalidation failSafe) {
        var redis = SluiceInfra.get().redis();
        String[] last = {null};
        long[] since = {System.nanoTime()};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String now = redis.command("GET", "sluice:cacheservice:t:{db}");
            if (failSafe.pending() || !now.equals(last[0])) {
                last[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since[0] > Duration.ofMillis(2500).toNanos();
        });
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
