package io.sluice.system;

import static io.sluice.system.Http.delete;
import static io.sluice.system.Http.get;
import static io.sluice.system.Http.obj;
import static io.sluice.system.Http.post;
import static io.sluice.system.Http.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.testing.ServiceProcess;

/**
 * query-monitor's scorecard (GET /v1/validation) against the running suite: each target that reads another
 * service goes through pass, fail and unknown on real state: replay paused on the replica (lag, reads on the
 * primary), an idle, a lightly held then a well held pool, hits then a flushed namespace's misses, a premade partition dropped, a
 * service stopped with SIGSTOP. It runs first and puts back what it changed (replay, pool size, the set).
 */
@Order(0)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScorecardIT {

    private static final String ADMIN = "Bearer " + Suite.ADMIN_TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HUNG = "no answer within the console timeout";

    private final Suite suite = Suite.get();

    @Test
    @Order(2)
    void replicationTargetsPassThenFailWhileReplayIsPausedAndSluiceValidateNamesThem() throws Exception {
        for (int i = 0; i < 100; i++) {
            read("SELECT name FROM member WHERE id = " + (1 + i));
        }
        await("lag and replica reads pass").atMost(WAIT).untilAsserted(() -> {
            JsonNode card = card();
            assertThat(verdict(card, "replication-lag")).as(card.toString()).isEqualTo("pass");
            assertThat(verdict(card, "replica-reads")).as(card.toString()).isEqualTo("pass");
        });

        suite.infra.pauseReplay(suite.infra.replica());
        try {
            await("lag fails while replay is paused").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                suite.infra.primary().execute("CREATE TABLE IF NOT EXISTS scorecard_lag (x int)");
                suite.infra.primary().execute("INSERT INTO scorecard_lag VALUES (1)");
                return "fail".equals(verdict(card(), "replication-lag"));
            });
            JsonNode lag = target(card(), "replication-lag");
            assertThat(lag.path("value").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(lag.path("reason").asText()).startsWith("highest lag ").contains("replica1");
            assertThat(lag.path("runbook").asText()).isEqualTo("docs/runbooks.md#rb-1");

            // Reads meanwhile go to the primary (reason "lag"): the replicas' share of the window's reads drops.
            for (int i = 0; i < 300; i++) {
                read("SELECT name FROM member WHERE id = " + (1 + i));
            }
            await("reads on replicas fail").atMost(WAIT).untilAsserted(() -> {
                JsonNode reads = target(card(), "replica-reads");
                assertThat(reads.path("verdict").asText()).as(reads.toString()).isEqualTo("fail");
                assertThat(reads.path("value").asDouble()).isLessThan(0.9);
            });

            Validate run = validate();
            assertThat(run.exit).as(run.output).isEqualTo(1);
            assertThat(run.output).contains("replication-lag      FAIL").containsPattern("(?m)^FAILED: .*replication-lag");
            assertThat(run.output).contains("runbook: docs/runbooks.md#rb-1");
        } finally {
            suite.infra.resumeReplay(suite.infra.replica());
            suite.infra.awaitReplayed(suite.infra.replica(), WAIT);
        }
    }

    @Test
    @Order(5)
    void poolUtilisationIsUnknownIdleFailsWithTwoOfTenHeldAndPassesWithSeven() throws Exception {
        await("reads go to the replica again").atMost(WAIT).until(() -> "replica1".equals(
                post(suite.router.url() + "/sql", obj("query", "SELECT 1")).header("Sluice-Node")));
        for (int i = 0; i < 20; i++) {
            read("SELECT name FROM member WHERE id = " + (1 + i));
        }
        await("a quiet pool's size is not judged").atMost(WAIT).untilAsserted(() -> {
            JsonNode pool = target(card(), "pool-utilization");
            assertThat(pool.path("verdict").asText()).as(pool.toString()).isEqualTo("unknown");
            assertThat(pool.path("reason").asText()).contains("too little load");
        });

        assertThat(put(suite.router.url() + "/v1/admin/pools/replica1", obj("maxSize", 10), "Authorization", ADMIN)
                .status()).isEqualTo(200);
        AtomicBoolean holding = new AtomicBoolean(true);
        ExecutorService holders = Executors.newFixedThreadPool(7);
        Runnable hold = () -> {
            while (holding.get()) {
                read("SELECT pg_sleep(3)");
            }
        };
        try {
            for (int i = 0; i < 2; i++) {
                holders.submit(hold);
            }
            // The mean is over the window's scrapes (1 min): judged once two held connections outweigh the quiet.
            await("two of ten held is oversized").atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                        JsonNode pool = target(card(), "pool-utilization");
                        assertThat(pool.path("verdict").asText()).as(pool.toString()).isEqualTo("fail");
                        assertThat(pool.path("reason").asText()).contains("oversized").contains("replica1");
                    });
            for (int i = 0; i < 5; i++) {
                holders.submit(hold);
            }
            await("seven of ten held is within 60-80 %").atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                        JsonNode pool = target(card(), "pool-utilization");
                        assertThat(pool.path("verdict").asText()).as(pool.toString()).isEqualTo("pass");
                        assertThat(pool.path("value").asDouble()).isBetween(0.6, 0.8);
                        assertThat(pool.path("reason").asText()).contains("replica1");
                    });
        } finally {
            holding.set(false);
            holders.shutdown();
            holders.awaitTermination(30, TimeUnit.SECONDS);
            put(suite.router.url() + "/v1/admin/pools/replica1", obj("maxSize", 20), "Authorization", ADMIN);
        }
    }

    @Test
    @Order(3)
    void cacheTargetsPassOnHitsAndFailAfterTheNamespaceIsFlushed() {
        String ns = "scorecard";
        for (int i = 0; i < 20; i++) {
            cached(ns, 1 + i);
        }
        for (int i = 0; i < 400; i++) {
            cached(ns, 1 + i % 20);
        }
        await("hit rate and query reduction pass").atMost(WAIT).untilAsserted(() -> {
            JsonNode card = card();
            assertThat(verdict(card, "cache-hit-rate")).as(card.toString()).isEqualTo("pass");
            assertThat(target(card, "cache-hit-rate").path("value").asDouble()).isGreaterThanOrEqualTo(0.7);
            assertThat(verdict(card, "db-query-reduction")).isEqualTo("pass");
        });

        assertThat(delete(suite.cache.url() + "/v1/cache/namespaces/" + ns, "Authorization", ADMIN).status())
                .isEqualTo(200);
        for (int i = 0; i < 1200; i++) {
            cached(ns, 1000 + i);
        }
        await("hit rate fails after the flush").atMost(WAIT).untilAsserted(() -> {
            JsonNode card = card();
            JsonNode hit = target(card, "cache-hit-rate");
            assertThat(hit.path("verdict").asText()).as(hit.toString()).isEqualTo("fail");
            assertThat(hit.path("value").asDouble()).isLessThan(0.7);
            assertThat(hit.path("runbook").asText()).isEqualTo("docs/runbooks.md#rb-11");
            assertThat(verdict(card, "db-query-reduction")).isEqualTo("fail");
        });
    }

    @Test
    @Order(4)
    void partitionRunwayPassesWith24MonthsAndFailsWhenAPremadePartitionIsDropped() {
        String set = "public.scorecard_events";
        var made = put(suite.partitions.url() + "/v1/partition-sets/" + set, obj("column", "created_at",
                "interval", "monthly", "premake", 24, "timezone", "UTC",
                "columns", List.of(obj("name", "id", "type", "bigint"), obj("name", "created_at", "type", "timestamptz")),
                "primaryKey", List.of("id", "created_at")), "Authorization", ADMIN);
        assertThat(made.status()).as(made.toString()).isEqualTo(200);
        try {
            await("24 months ahead pass").atMost(WAIT).untilAsserted(() -> {
                JsonNode runway = target(card(), "partition-runway");
                assertThat(runway.path("verdict").asText()).as(runway.toString()).isEqualTo("pass");
                assertThat(runway.path("value").asInt()).isEqualTo(24);
            });
            JsonNode partitions = get(suite.partitions.url() + "/v1/partition-sets/" + set).json().path("partitions");
            String last = null;
            for (JsonNode p : partitions) {
                if (!p.path("isDefault").asBoolean() && (last == null || p.path("from").asText().compareTo(
                        partitionFrom(partitions, last)) > 0)) {
                    last = p.path("name").asText();
                }
            }
            assertThat(last).isNotNull();
            suite.infra.primary().execute("DROP TABLE " + last);
            await("23 months ahead fail").atMost(WAIT).untilAsserted(() -> {
                JsonNode runway = target(card(), "partition-runway");
                assertThat(runway.path("verdict").asText()).as(runway.toString()).isEqualTo("fail");
                assertThat(runway.path("reason").asText()).contains(set + ": runway 23 months");
            });
        } finally {
            delete(suite.partitions.url() + "/v1/partition-sets/" + set, "Authorization", ADMIN);
            suite.infra.primary().execute("DROP TABLE IF EXISTS scorecard_events CASCADE");
        }
    }

    @Test
    @Order(1)
    void aServiceThatDoesNotAnswerMakesItsTargetsUnknown() {
        for (ServiceProcess s : List.of(suite.router, suite.cache, suite.partitions)) {
            s.pause();
        }
        try {
            JsonNode card = card();
            for (String id : List.of("replication-lag", "replica-reads", "pool-utilization")) {
                assertThat(target(card, id).path("verdict").asText()).isEqualTo("unknown");
                assertThat(target(card, id).path("reason").asText()).isEqualTo("replica-router unreachable: " + HUNG);
            }
            for (String id : List.of("cache-hit-rate", "db-query-reduction")) {
                assertThat(target(card, id).path("reason").asText()).isEqualTo("cache-service unreachable: " + HUNG);
            }
            assertThat(target(card, "partition-runway").path("reason").asText())
                    .isEqualTo("partition-manager unreachable: " + HUNG);
            assertThat(card.path("unknown").toString()).contains("replication-lag", "cache-hit-rate",
                    "partition-runway");
        } finally {
            for (ServiceProcess s : List.of(suite.router, suite.cache, suite.partitions)) {
                s.resume();
            }
        }
        for (ServiceProcess s : suite.all()) {
            await(s.name() + " answers again").atMost(WAIT).until(() -> s.status("/q/health/ready") == 200);
        }
    }

    private static String partitionFrom(JsonNode partitions, String name) {
        for (JsonNode p : partitions) {
            if (p.path("name").asText().equals(name)) {
                return p.path("from").asText();
            }
        }
        return "";
    }

    private void read(String sql) {
        var answer = post(suite.router.url() + "/sql", obj("query", sql));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    private void cached(String ns, int id) {
        var answer = post(suite.cache.url() + "/v1/cache/query", obj("namespace", ns,
                "sql", "SELECT name FROM member WHERE id = $1", "params", List.of(id), "ttl_s", 300));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    private JsonNode card() {
        var answer = get(suite.queryMonitor.url() + "/v1/validation?window=1m");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("targets")).hasSize(9);
        return answer.json();
    }

    private static JsonNode target(JsonNode card, String id) {
        for (JsonNode t : card.path("targets")) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no target " + id + " in " + card);
    }

    private static String verdict(JsonNode card, String id) {
        return target(card, id).path("verdict").asText();
    }

    private record Validate(int exit, String output) {
    }

    /** deploy/local/sluice validate against the suite's query-monitor. */
    private Validate validate() throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("sluice-validate");
        ProcessBuilder pb = new ProcessBuilder(Path.of("..", "deploy", "local", "sluice").toString(), "validate",
                "--window", "1m").redirectErrorStream(true);
        pb.environment().put("SLUICE_HOME", home.toString());
        pb.environment().put("SLUICE_QUERY_MONITOR_URL", suite.queryMonitor.url());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Validate(p.exitValue(), out);
    }
}
