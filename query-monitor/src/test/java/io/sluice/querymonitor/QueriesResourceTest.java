package io.sluice.querymonitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.common.sql.SqlNormalizer;
import io.sluice.querymonitor.aggregate.AggregateStore;
import io.sluice.querymonitor.aggregate.Aggregator;
import io.sluice.querymonitor.aggregate.FlushService;
import io.sluice.querymonitor.aggregate.Target;
import io.sluice.querymonitor.aggregate.Window;
import io.sluice.querymonitor.config.QueryMonitorConfig;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class QueriesResourceTest {

    @Inject
    FlushService flush;
    @Inject
    QueryMonitorConfig config;
    @Inject
    ReactiveRedisDataSource redis;

    private static String db() {
        return "db-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void post(List<String> samples) {
        for (int from = 0; from < samples.size(); from += 1000) {
            given().contentType("application/json")
                    .body("{\"samples\": [" + String.join(",", samples.subList(from, Math.min(from + 1000,
                            samples.size()))) + "]}")
                    .when().post("/v1/queries/samples").then().statusCode(202);
        }
    }

    private static String sample(String sql, String database, double ms) {
        return "{\"sql\": \"" + sql + "\", \"database\": \"" + database + "\", \"duration_ms\": " + ms
                + ", \"rows\": 1}";
    }

    private void flushNow() {
        flush.flush().await().atMost(Duration.ofSeconds(10));
    }

    private static JsonPath top(String database, String sort) {
        return given().queryParam("database", database).queryParam("window", "5m").queryParam("sort", sort)
                .when().get("/metrics/queries").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void percentilesPerFingerprintAreWithinOnePercentOfTheExactValues() {
        String database = db();
        Random random = new Random(42);
        double[] durations = new double[3000];
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < durations.length; i++) {
            durations[i] = Math.exp(Math.log(8) + random.nextGaussian());
            samples.add(sample("SELECT * FROM orders WHERE id = " + i, database, durations[i]));
        }
        post(samples);
        flushNow();
        Arrays.sort(durations);
        JsonPath json = top(database, "total");
        assertThat(json.getInt("queries.size()")).isEqualTo(1);
        assertThat(json.getString("queries[0].fingerprint"))
                .isEqualTo(SqlNormalizer.fingerprint("SELECT * FROM orders WHERE id = 7"));
        assertThat(json.getString("queries[0].sql")).isEqualTo("select * from orders where id = ?");
        assertThat(json.getLong("queries[0].calls")).isEqualTo(3000);
        assertThat(json.getLong("queries[0].rows")).isEqualTo(3000);
        assertPercentiles(json, durations);
        assertThat(json.getDouble("queries[0].maxMs")).isCloseTo(durations[durations.length - 1], within(0.001));
        assertThat(json.getString("queries[0].firstSeen")).isNotNull();
        assertThat(json.getString("queries[0].lastSeen")).isNotNull();
    }

    private static void assertPercentiles(JsonPath json, double[] sorted) {
        for (String[] p : new String[][] {{"p50Ms", "0.5"}, {"p90Ms", "0.9"}, {"p95Ms", "0.95"}, {"p99Ms", "0.99"}}) {
            double exact = sorted[(int) Math.floor(Double.parseDouble(p[1]) * (sorted.length - 1))];
            assertThat(json.getDouble("queries[0]." + p[0])).as(p[0]).isCloseTo(exact, within(exact * 0.01 + 0.001));
        }
    }

    @Test
    void twoInstancesMergeThroughRedis() {
        String database = db();
        // A second, independent aggregation pipeline (what another instance runs) writing to the same Redis.
        Aggregator other = new Aggregator(config);
        AggregateStore otherStore = new AggregateStore(redis, config);
        String sql = "SELECT name FROM users WHERE email = 'x'";
        String fp = SqlNormalizer.fingerprint(sql);
        Random random = new Random(7);
        double[] all = new double[2000];
        List<String> mine = new ArrayList<>();
        List<Aggregator.Entry> theirs = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < all.length; i++) {
            all[i] = 1 + random.nextDouble() * (i % 2 == 0 ? 20 : 400);
            if (i % 2 == 0) {
                mine.add(sample(sql, database, all[i]));
            } else {
                List<Target> targets = new ArrayList<>();
                for (Window.Resolution res : Window.Resolution.values()) {
                    targets.add(Target.bucket(fp, database, res, res.bucketOf(java.time.Instant.ofEpochMilli(now))));
                }
                theirs.add(new Aggregator.Entry(fp, SqlNormalizer.normalize(sql), null, database, all[i], 2, false,
                        all[i] > 100, now, targets));
            }
        }
        post(mine);
        flushNow();
        other.add(theirs);
        otherStore.write(other.drain()).await().atMost(Duration.ofSeconds(10));
        Arrays.sort(all);
        JsonPath json = top(database, "total");
        assertThat(json.getLong("queries[0].calls")).isEqualTo(2000);
        assertThat(json.getLong("queries[0].rows")).isEqualTo(1000 + 2000);
        assertPercentiles(json, all);
    }

    @Test
    void theTopListIsOrderedByTheChosenFigureAndSlowQueriesAreListed() {
        String database = db();
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(sample("SELECT a FROM many WHERE id = " + i, database, 10)); // total 100, mean 10
        }
        samples.add(sample("SELECT b FROM once WHERE id = 1", database, 150)); // total 150, mean 150, slow
        samples.add(sample("SELECT c FROM tiny", database, 1));
        post(samples);
        flushNow();
        assertThat(top(database, "total").getList("queries.sql"))
                .containsExactly("select b from once where id = ?", "select a from many where id = ?", "select c from tiny");
        assertThat(top(database, "calls").getString("queries[0].sql")).isEqualTo("select a from many where id = ?");
        assertThat(top(database, "p95").getString("queries[2].sql")).isEqualTo("select c from tiny");
        given().queryParam("database", database).queryParam("limit", 1).when().get("/metrics/queries")
                .then().statusCode(200).body("queries.size()", is(1));
        given().queryParam("database", database).when().get("/v1/queries/slow")
                .then().statusCode(200)
                .body("queries.size()", is(1))
                .body("queries[0].sql", is("select b from once where id = ?"))
                .body("queries[0].slowCalls", is(1))
                .body("thresholdMs", is(100.0f));
    }

    @Test
    void literalValuesNeverReachTheApi() {
        String database = db();
        String secret = "s3cr3t-" + UUID.randomUUID();
        post(List.of(sample("UPDATE users SET password = '" + secret + "' WHERE id = 9", database, 2)));
        flushNow();
        String body = given().queryParam("database", database).when().get("/metrics/queries").asString();
        assertThat(body).contains("update users set password = ? where id = ?").doesNotContain(secret);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"window, 2h", "sort, fastest", "limit, 0", "limit, 501", "database, 'a b'"})
    void badQueryParametersAreNamed(String param, String value) {
        given().queryParam(param, value).when().get("/metrics/queries")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/validation-failed"))
                .body("errors[0].field", is(param));
    }

    @Test
    void badSlowParametersAreNamed() {
        given().queryParam("window", "7d").when().get("/v1/queries/slow")
                .then().statusCode(400).body("errors[0].field", is("window"));
    }

    /** JAX-RS would answer 404 for a number that does not parse; common's ProblemMapper makes it a 400. */
    @Test
    void aLimitThatIsNotANumberIsA400NotA404() {
        for (String path : List.of("/metrics/queries", "/v1/queries/slow")) {
            given().queryParam("limit", "lots").when().get(path)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", endsWith("/validation-failed"));
        }
    }
}
