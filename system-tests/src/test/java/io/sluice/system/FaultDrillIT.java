package io.sluice.system;

import static io.sluice.system.Http.get;
import static io.sluice.system.Http.obj;
import static io.sluice.system.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.testing.ServiceProcess;

/**
 * Under steady load, the replica stops and comes back, then Redis stops and comes back. Every service keeps the
 * behaviour its README documents for these outages: no 5xx and no lost write anywhere, reads keep working, and
 * readiness says what is wrong at each step and recovers after.
 */
@Order(3)
class FaultDrillIT {

    private static final List<String> ENDPOINTS = List.of("check", "cached-read", "router-read", "router-write");
    private static final List<String> PHASES = List.of("steady", "replica-down", "replica-back", "redis-down",
            "redis-back");

    @Test
    void replicaThenRedisGoDownAndComeBackUnderLoad() throws Exception {
        Suite suite = Suite.get();
        Load load = new Load(suite);
        try {
            pause(3);

            load.phase("replica-down");
            suite.infra.replica().stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> !nodeUp(suite, "replica1"));
            pause(3);
            assertThat(suite.router.status("/q/health/ready")).as("the router serves from the primary").isEqualTo(200);

            load.phase("replica-back");
            suite.infra.replica().start();
            await().atMost(Duration.ofSeconds(60)).until(() -> nodeUp(suite, "replica1"));
            pause(3);

            load.phase("redis-down");
            suite.infra.redis().stop();
            for (ServiceProcess s : List.of(suite.router, suite.limiter, suite.queryMonitor)) {
                await(s.name() + " readiness reports Redis down").atMost(Duration.ofSeconds(20))
                        .until(() -> s.status("/q/health/ready") == 503);
            }
            // cache-service stays ready by design: it serves every query straight from the database meanwhile.
            await("cache-service readiness reports degraded mode").atMost(Duration.ofSeconds(20))
                    .until(() -> get(suite.cache.url() + "/q/health/ready").text().contains("degraded"));
            pause(3);

            load.phase("redis-back");
            suite.infra.redis().start();
            for (ServiceProcess s : suite.all()) {
                await(s.name() + " ready again").atMost(Duration.ofSeconds(60))
                        .until(() -> s.status("/q/health/ready") == 200);
            }
            pause(3);
        } finally {
            load.close();
            suite.infra.heal();
        }

        for (String phase : PHASES) {
            for (String endpoint : ENDPOINTS) {
                List<Load.Outcome> answers = load.of(phase, endpoint);
                assertThat(answers).as("%s during %s", endpoint, phase).isNotEmpty();
                assertThat(answers).as("%s during %s: %s", endpoint, phase, Load.statuses(answers))
                        .allMatch(o -> o.status() > 0 && o.status() < 500, "answered without a 5xx");
            }
        }
        assertThat(load.of("redis-down", "router-write")).as("writes kept committing without Redis")
                .anyMatch(o -> o.status() == 200);
        assertThat(load.of("replica-down", "router-read")).allMatch(o -> o.status() == 200, "no failed read");

        Set<Long> stored = new HashSet<>();
        for (String id : suite.infra.primary().queryValue("SELECT coalesce(string_agg(id::text, ','), '')"
                + " FROM drill_write").split(",")) {
            if (!id.isEmpty()) {
                stored.add(Long.parseLong(id));
            }
        }
        assertThat(load.acknowledgedWrites).isNotEmpty();
        assertThat(stored).as("every acknowledged write is in the primary").containsAll(load.acknowledgedWrites);

        // After the outage the cache caches again (not BYPASS).
        var first = post(suite.cache.url() + "/v1/cache/query", obj("namespace", "after-drill",
                "sql", "SELECT id FROM church WHERE id = $1", "params", List.of(3), "ttl_s", 60));
        var second = post(suite.cache.url() + "/v1/cache/query", obj("namespace", "after-drill",
                "sql", "SELECT id FROM church WHERE id = $1", "params", List.of(3), "ttl_s", 60));
        assertThat(first.header("X-Cache")).isEqualTo("MISS");
        assertThat(second.header("X-Cache")).isEqualTo("HIT");
    }

    private static boolean nodeUp(Suite suite, String node) {
        JsonNode nodes = get(suite.router.url() + "/v1/nodes").json();
        for (JsonNode n : nodes) {
            if (node.equals(n.path("name").asText())) {
                return n.path("up").asBoolean();
            }
        }
        return false;
    }

    private static void pause(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }
}
