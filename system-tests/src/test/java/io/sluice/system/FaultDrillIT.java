package io.sluice.system;

import static io.sluice.system.Http.get;
import static io.sluice.system.Http.obj;
import static io.sluice.system.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.testing.ServiceProcess;

/**
 * The drill matrix: under steady load (a rate-limit check, cached reads, reads and writes through the router), one
 * part fails and comes back. Each drill checks that every answer is a 2xx/4xx or one of the outage answers the
 * services document for that failure, that every write the router acknowledged is in the primary, and that
 * everything serves again afterwards without restarting any Sluice process (but the one the drill stopped). The
 * answers each drill counted go to target/drills.md (copied into docs/testing.md).
 */
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultDrillIT {

    private static final List<String> ENDPOINTS = List.of("check", "cached-read", "router-read", "router-write");
    private static final Path REPORT = Path.of("target", "drills.md");

    private final Suite suite = Suite.get();

    @BeforeAll
    static void reportHeader() throws IOException {
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "| drill | " + String.join(" | ", ENDPOINTS) + " | acknowledged writes (all found) |\n"
                + "|---|---|---|---|---|---|\n");
    }

    @AfterEach
    void heal() {
        suite.infra.heal();
        for (ServiceProcess s : suite.all()) {
            if (!s.isAlive()) {
                s.start(Duration.ofSeconds(120));
            }
        }
    }

    @Test
    @Order(1)
    void replicaKilledAndRestarted() throws Exception {
        try (Drill drill = new Drill("replica killed (SIGKILL) and restarted")) {
            drill.phase("down");
            suite.infra.replica().kill();
            await().atMost(Duration.ofSeconds(15)).until(() -> !nodeUp("replica1"));
            drill.hold(4);
            assertThat(suite.router.status("/q/health/ready")).as("the router serves from the primary").isEqualTo(200);
            drill.phase("back");
            suite.infra.replica().start();
            await().atMost(Duration.ofSeconds(60)).until(() -> nodeUp("replica1"));
            drill.hold(3);
            drill.verify(Map.of());
            assertThat(drill.load.of("down", "router-read")).allMatch(o -> o.status() == 200, "no failed read");
        }
    }

    @Test
    @Order(2)
    void replicaLaggingForThirtySeconds() throws Exception {
        double lagRoutedBefore = Metrics.sum(suite.router, "sluice_replicarouter_routed_total", "reason=\"lag\"");
        try (Drill drill = new Drill("replica lagging (replay paused) for 30 s")) {
            drill.phase("lagging");
            suite.infra.pauseReplay(suite.infra.replica());
            drill.hold(30);
            drill.phase("caught-up");
            suite.infra.resumeReplay(suite.infra.replica());
            suite.infra.awaitReplayed(suite.infra.replica(), Duration.ofSeconds(60));
            drill.hold(3);
            drill.verify(Map.of());
        }
        assertThat(Metrics.sum(suite.router, "sluice_replicarouter_routed_total", "reason=\"lag\""))
                .as("reads went to the primary while the replica lagged").isGreaterThan(lagRoutedBefore);
    }

    @Test
    @Order(3)
    void primaryKilledAndRestarted() throws Exception {
        try (Drill drill = new Drill("primary killed (SIGKILL) and restarted")) {
            drill.phase("down");
            suite.infra.primary().kill();
            await().atMost(Duration.ofSeconds(15)).until(() -> !nodeUp("primary"));
            drill.hold(4);
            drill.phase("back");
            suite.infra.primary().start();
            // The pools reconnect by themselves: writes are accepted again, no Sluice process restarted.
            await().atMost(Duration.ofSeconds(60)).until(() -> post(suite.router.url() + "/sql",
                    obj("query", "SELECT 1 AS one", "params", List.of()), "Sluice-Route", "primary").status() == 200);
            drill.hold(3);
            // A cache miss asks for a node that replayed the fleet's last write (Sluice-Min-Lsn); a write the dead
            // primary committed but had not streamed yet is on no node that answers: the documented 503, never
            // an older row cached as fresh.
            drill.verify(Map.of("router-write", Set.of("503 primary-unavailable"),
                    "cached-read", Set.of("503 database-unavailable")));
            assertThat(drill.load.of("down", "router-read")).as("reads continue on the replica")
                    .allMatch(o -> o.status() == 200, "answered 200");
            assertThat(drill.load.of("down", "router-write")).as("writes are refused fast")
                    .filteredOn(o -> o.status() == 503).isNotEmpty()
                    .allMatch(o -> o.millis() < 3_000, "answered within the connect timeout and a second");
        }
    }

    @Test
    @Order(4)
    void redisKilledAndRestartedEmpty() throws Exception {
        // A cached row, then a write to it while Redis is gone (its invalidation cannot be published): once Redis
        // is back, empty, the cache must not serve the old value as fresh.
        suite.infra.primary().execute("CREATE TABLE IF NOT EXISTS drill_cached (id int PRIMARY KEY, v text)");
        suite.infra.primary().execute("INSERT INTO drill_cached VALUES (1, 'before') ON CONFLICT (id) DO UPDATE"
                + " SET v = 'before'");
        suite.infra.awaitReplayed(suite.infra.replica(), Duration.ofSeconds(30));
        assertThat(cachedValue()).isEqualTo("before");
        assertThat(cachedValue()).isEqualTo("before");
        try (Drill drill = new Drill("Redis killed and restarted empty")) {
            // A key of our own: gone after the restart proves Redis came back empty (the services write again
            // at once, so its size alone proves nothing).
            suite.infra.redis().command("SET", "drill:before-the-kill", "1");
            drill.phase("down");
            suite.infra.redis().kill();
            for (ServiceProcess s : List.of(suite.router, suite.limiter, suite.queryMonitor)) {
                await(s.name() + " readiness reports Redis down").atMost(Duration.ofSeconds(20))
                        .until(() -> s.status("/q/health/ready") == 503);
            }
            // cache-service stays ready by design: it serves every query straight from the database meanwhile.
            await("cache-service readiness reports degraded mode").atMost(Duration.ofSeconds(20))
                    .until(() -> get(suite.cache.url() + "/q/health/ready").text().contains("degraded"));
            assertThat(post(suite.router.url() + "/sql", obj("query", "UPDATE drill_cached SET v = 'after' WHERE"
                    + " id = 1", "params", List.of())).status()).isEqualTo(200);
            drill.hold(3);
            drill.phase("back-empty");
            suite.infra.redis().start();
            assertThat(suite.infra.redis().command("EXISTS", "drill:before-the-kill")).as("Redis came back empty")
                    .isEqualTo("0");
            for (ServiceProcess s : suite.all()) {
                await(s.name() + " ready again").atMost(Duration.ofSeconds(60))
                        .until(() -> s.status("/q/health/ready") == 200);
            }
            drill.hold(3);
            drill.verify(Map.of());
            assertThat(drill.load.of("down", "router-write")).as("writes kept committing without Redis")
                    .anyMatch(o -> o.status() == 200);
            assertThat(drill.load.negativeRemaining).as("RateLimit headers never count below zero").isEmpty();
        }
        suite.infra.awaitReplayed(suite.infra.replica(), Duration.ofSeconds(30));
        assertThat(cachedValue()).as("no stale entry served as fresh after Redis came back empty").isEqualTo("after");
    }

    @Test
    @Order(5)
    void queryMonitorDown() throws Exception {
        double failedBefore = reportsNotSent();
        try (Drill drill = new Drill("query-monitor down")) {
            drill.phase("down");
            suite.queryMonitor.stop();
            drill.hold(5);
            suite.queryMonitor.start(Duration.ofSeconds(120));
            drill.phase("back");
            drill.hold(3);
            drill.verify(Map.of());
        }
        assertThat(reportsNotSent()).as("the router counted the samples it could not send").isGreaterThan(failedBefore);
        double sentBefore = Metrics.sum(suite.router, "sluice_replicarouter_reports_total", "outcome=\"sent\"");
        post(suite.router.url() + "/sql", obj("query", "SELECT 1 AS one", "params", List.of()));
        await("reports flow again").atMost(Duration.ofSeconds(15)).until(() -> Metrics.sum(suite.router,
                "sluice_replicarouter_reports_total", "outcome=\"sent\"") > sentBefore);
    }

    @Test
    @Order(6)
    void cacheServicesRouterDown() throws Exception {
        try (Drill drill = new Drill("replica-router down (cache-service loads through it)")) {
            drill.phase("down");
            suite.router.stop();
            drill.hold(5);
            // Until it is ready again the router's own endpoints have no answer: "back" starts once it is.
            suite.router.start(Duration.ofSeconds(120));
            drill.phase("back");
            drill.hold(3);
            // The router's own endpoints simply have no answer while it is stopped: not counted in that phase.
            drill.ignore("down", "router-read", "router-write");
            drill.verify(Map.of("cached-read", Set.of("503 database-unavailable")));
            assertThat(drill.load.of("down", "cached-read")).as("cached reads got their answer or a clear 503")
                    .isNotEmpty();
        }
    }

    /** One drill's load, phases and checks; its counts go to target/drills.md. */
    private final class Drill implements AutoCloseable {

        final String name;
        final Load load;
        private final Set<String> ignored = new HashSet<>();

        Drill(String name) throws InterruptedException {
            this.name = name;
            this.load = new Load(suite);
            hold(3);
        }

        void phase(String phase) {
            load.phase(phase);
        }

        void hold(int seconds) throws InterruptedException {
            Thread.sleep(seconds * 1000L);
        }

        void ignore(String phase, String... endpoints) {
            for (String e : endpoints) {
                ignored.add(phase + "/" + e);
            }
        }

        /**
         * Every answer of every phase is below 500, or one of {@code outages} for its endpoint; nothing is left
         * unanswered; every acknowledged write is in the primary; the last phase served every endpoint.
         */
        void verify(Map<String, Set<String>> outages) throws InterruptedException {
            load.close();
            for (Load.Outcome o : load.outcomes) {
                if (ignored.contains(o.phase() + "/" + o.endpoint())) {
                    continue;
                }
                boolean documented = outages.getOrDefault(o.endpoint(), Set.of()).contains(o.kind());
                assertThat(o.status() > 0 && (o.status() < 500 || documented))
                        .as("%s: %s during %s answered %s %s", name, o.endpoint(), o.phase(), o.kind(), o.detail())
                        .isTrue();
            }
            String last = load.outcomes.stream().reduce((a, b) -> b).map(Load.Outcome::phase).orElse("steady");
            for (String endpoint : ENDPOINTS) {
                assertThat(load.of(last, endpoint)).as("%s: %s served after recovery", name, endpoint)
                        .anyMatch(o -> o.status() >= 200 && o.status() < 300);
            }
            Set<Long> stored = new HashSet<>();
            for (String id : suite.infra.primary().queryValue("SELECT coalesce(string_agg(id::text, ','), '')"
                    + " FROM drill_write").split(",")) {
                if (!id.isEmpty()) {
                    stored.add(Long.parseLong(id));
                }
            }
            assertThat(load.acknowledgedWrites).isNotEmpty();
            assertThat(stored).as("%s: every acknowledged write is in the primary", name)
                    .containsAll(load.acknowledgedWrites);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            load.close();
            StringBuilder row = new StringBuilder("| " + name + " |");
            for (String endpoint : ENDPOINTS) {
                Map<String, Long> kinds = Load.kinds(load.outcomes.stream()
                        .filter(o -> o.endpoint().equals(endpoint)).toList());
                row.append(' ').append(kinds.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                        .collect(Collectors.joining(", "))).append(" |");
            }
            row.append(' ').append(load.acknowledgedWrites.size()).append(" |\n");
            Files.writeString(REPORT, row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private double reportsNotSent() {
        return Metrics.sum(suite.router, "sluice_replicarouter_reports_total", "outcome=\"failed\"")
                + Metrics.sum(suite.router, "sluice_replicarouter_reports_total", "outcome=\"dropped\"");
    }

    private String cachedValue() {
        var answer = post(suite.cache.url() + "/v1/cache/query", obj("namespace", "drill-stale",
                "sql", "SELECT v FROM drill_cached WHERE id = $1", "params", List.of(1), "ttl_s", 300));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().path("rows").path(0).path("v").asText();
    }

    private boolean nodeUp(String node) {
        JsonNode nodes = get(suite.router.url() + "/v1/nodes").json();
        for (JsonNode n : nodes) {
            if (node.equals(n.path("name").asText())) {
                return n.path("up").asBoolean();
            }
        }
        return false;
    }
}
