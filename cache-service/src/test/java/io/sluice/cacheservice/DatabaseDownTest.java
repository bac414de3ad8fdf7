package io.sluice.cacheservice;

import static io.sluice.cacheservice.CacheApi.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class DatabaseDownTest {

    @AfterEach
    void heal() {
        SluiceInfra.get().heal();
    }

    @Test
    void withPostgresStoppedStaleIfErrorIsServedAndWithoutItTheProblemIsClear() {
        String t = CacheApi.table();
        String ns = CacheApi.namespace();
        var tolerant = query(ns, "SELECT v FROM " + t + " WHERE id = 1").ttl(1).staleIfError(120);
        var strict = query(ns, "SELECT v FROM " + t + " WHERE id = 2").ttl(1);
        assertThat(tolerant.post().header("X-Cache")).isEqualTo("MISS");
        assertThat(strict.post().header("X-Cache")).isEqualTo("MISS");

        SluiceInfra.get().primary().stop();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Response r = tolerant.post();
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.header("X-Cache")).isEqualTo("STALE");
            assertThat(r.jsonPath().getString("rows[0].v")).isEqualTo("one");
        });
        Response refused = strict.post();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.asString()).contains("database-unavailable").doesNotContain("Exception");

        SluiceInfra.get().primary().start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> strict.post().statusCode() == 200);
    }
}
