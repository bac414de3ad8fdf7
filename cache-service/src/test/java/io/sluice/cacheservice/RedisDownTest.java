package io.sluice.cacheservice;

import static io.restassured.RestAssured.given;
import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RedisDownTest {

    @AfterEach
    void heal() {
        SluiceInfra.get().heal();
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
}
