package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.sluice.cacheservice.invalidation.FailSafeInvalidation;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RedisDownTest {

    @Inject
    FailSafeInvalidation failSafe;

    @AfterEach
    void heal() {
        SluiceInfra.get().heal();
        // Redis came back empty: the write stream's group is recreated, which owes the fleet an invalidation of
        // every query result (deferred by the fail safe's interval). It must not land in the next test class.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> SluiceInfra.get().redis()
                .command("XINFO", "GROUPS", "sluice:replicarouter:{invalidations}").contains("name"));
        CacheApi.awaitNoInvalidationOfEverythingDue(failSafe);
    }

    @Test
    void stoppingRedisMidRunFailsNoRequestAndTheCacheComesBackByItself() {
        String t = CacheApi.table();
        var q = query(CacheApi.namespace(), "SELECT v FROM " + t + " WHERE id = 1").ttl(300);
        q.post();
        assertThat(q.post().header("X-Cache")).isEqualTo("HIT");

        SluiceInfra.get().redis().stop();
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Response r = q.post();
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.jsonPath().getString("rows[0].v")).isEqualTo("one");
            statuses.add(r.header("X-Cache"));
        }
        assertThat(statuses).as("requests bypass to the database").contains("BYPASS");
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'cache-service' }.data.mode", org.hamcrest.Matchers.is("degraded"));
        // Values: a read is a plain miss, a write says the cache is unavailable (nothing pretends to be stored).
        Response get = given().when().get("/v1/cache/entries/redis-down/k");
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.header("X-Cache")).isEqualTo("BYPASS");
        given().contentType("application/json").body("{\"value\": 1}").when().put("/v1/cache/entries/redis-down/k")
                .then().statusCode(503).contentType("application/problem+json");

        SluiceInfra.get().redis().start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> "HIT".equals(q.post().header("X-Cache")));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'cache-service' }.data.mode", org.hamcrest.Matchers.is("normal"));
    }

    /**
     * Redis stops (and later is killed) while requests are in flight: commands pending on a connection that closes
     * fail with the client's own CONNECTION_CLOSED error. Each request must still be answered from the database
     * (BYPASS), never with a 500, and the cache must come back by itself.
     */
    @Test
    void redisGoingAwayUnderConcurrentLoadAnswersEveryRequest() throws Exception {
        String t = CacheApi.table();
        String url = "http://127.0.0.1:" + RestAssured.port + "/v1/cache/query";
        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(12);
        for (int w = 0; w < 12; w++) {
            int worker = w;
            load.submit(() -> {
                while (running.get()) {
                    // Half the workers read one hot key (hits), half new keys (misses: lease, load, fill).
                    int param = worker % 2 == 0 ? 1 : 1000 + sent.incrementAndGet();
                    String body = "{\"namespace\": \"outage\", \"sql\": \"SELECT v FROM " + t
                            + " WHERE id = $1 OR $1 > 999\", \"params\": [" + param + "], \"ttl_s\": 300}";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            });
        }
        try {
            for (int cycle = 0; cycle < 3; cycle++) {
                awaitAnswers(statuses, 100);
                if (cycle == 2) {
                    SluiceInfra.get().redis().kill();
                } else {
                    SluiceInfra.get().redis().stop();
                }
                awaitAnswers(statuses, 100);
                SluiceInfra.get().redis().start();
            }
            awaitAnswers(statuses, 100);
        } finally {
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).as("answers other than 200 (of %s)", statuses).isEmpty();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            var q = query("outage", "SELECT v FROM " + t + " WHERE id = $1 OR $1 > 999").params(1).ttl(300);
            return "HIT".equals(q.post().header("X-Cache"));
        });
    }

    private static void awaitAnswers(Map<Integer, AtomicInteger> statuses, int more) {
        int target = statuses.values().stream().mapToInt(AtomicInteger::get).sum() + more;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> statuses.values().stream().mapToInt(AtomicInteger::get).sum() >= target);
    }
}
