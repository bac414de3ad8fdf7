package io.sluice.system;

import static io.sluice.system.Http.get;
import static io.sluice.system.Http.obj;
import static io.sluice.system.Http.post;
import static io.sluice.system.Http.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.sql.SqlNormalizer;
import io.sluice.testing.PromtoolLint;

/**
 * One realistic workload of a messaging app through all five services, asserting what each service did, not only
 * status codes: the rate limiter gates the app's key; reads go cache-service → replica-router → replica; writes go
 * through the router to the primary, invalidate the cached reads and are read back at once; query-monitor sees the
 * statements, flags the slow one and verifies an index for it; partition-manager keeps message's runway and
 * archives an old month.
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadIT {

    private static final String ADMIN = "Bearer " + Suite.ADMIN_TOKEN;
    private static final String SLOW_SQL = "SELECT count(*) AS received FROM message_recipient WHERE member_id = $1";
    private static final String FAST_SQL = "SELECT name, phone FROM member WHERE id = $1";

    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    @Order(1)
    void theRateLimiterGatesTheAppsKey() {
        String key = "church-app-free";
        var assigned = put(suite.limiter.url() + "/v1/ratelimit/keys/" + key, obj("tier", "free"),
                "Authorization", ADMIN);
        assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
        double limitedBefore = Metrics.sum(suite.limiter, "sluice_ratelimiter_decisions_total", "limited");

        List<Integer> statuses = new ArrayList<>();
        Http.Answer first = null;
        Http.Answer refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            var check = post(suite.limiter.url() + "/v1/ratelimit/check", obj("key", key));
            statuses.add(check.status());
            first = first == null ? check : first;
            refused = check.status() == 429 ? check : null;
        }
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("tier").asText()).isEqualToIgnoringCase("free");
        assertThat(first.header("RateLimit-Policy")).contains("\"minute\";q=60;w=60");
        assertThat(first.header("RateLimit")).contains("\"minute\";r=");
        assertThat(refused).as("Free allows a burst, then refuses: %s", statuses).isNotNull();
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(statuses.indexOf(429)).as("the burst let several requests through first").isGreaterThan(5);
        assertThat(Metrics.sum(suite.limiter, "sluice_ratelimiter_decisions_total", "limited"))
                .isGreaterThan(limitedBefore);
    }

    @Test
    @Order(2)
    void readsGoThroughTheCacheToTheRouterAndAReplica() {
        double replicaReads = Metrics.sum(suite.router, "sluice_replicarouter_routed_total",
                "target=\"replica\"");
        var miss = cachedChurch(7);
        assertThat(miss.status()).as(miss.toString()).isEqualTo(200);
        assertThat(miss.header("X-Cache")).isEqualTo("MISS");
        assertThat(miss.json().path("rows").get(0).path("name").asText()).isEqualTo("Church 7");
        assertThat(Metrics.sum(suite.router, "sluice_replicarouter_routed_total", "target=\"replica\""))
                .as("the miss was loaded through the router from a replica").isGreaterThan(replicaReads);

        double afterMiss = Metrics.sum(suite.router, "sluice_replicarouter_routed_total", "");
        var hit = cachedChurch(7);
        assertThat(hit.header("X-Cache")).isEqualTo("HIT");
        assertThat(hit.json().path("rows").get(0).path("name").asText()).isEqualTo("Church 7");
        assertThat(Metrics.sum(suite.router, "sluice_replicarouter_routed_total", ""))
                .as("a hit never reaches the router").isEqualTo(afterMiss);
    }

    @Test
    @Order(3)
    void aWriteIsReadBackAtOnceAndInvalidatesTheCachedRead() {
        cachedChurch(8);
        assertThat(cachedChurch(8).header("X-Cache")).isEqualTo("HIT");
        suite.infra.pauseReplay(suite.infra.replica());
        try {
            var write = post(suite.router.url() + "/sql",
                    obj("query", "UPDATE church SET name = $1 WHERE id = $2", "params", List.of("Renamed 8", 8)),
                    "Sluice-Session", "app-session-1");
            assertThat(write.status()).as(write.toString()).isEqualTo(200);
            assertThat(write.header("Sluice-Node")).isEqualTo("primary");
            assertThat(write.header("Sluice-Commit-Lsn")).isNotBlank();

            // The replica replays nothing now; the session's read must still see the write.
            var read = post(suite.router.url() + "/sql",
                    obj("query", "SELECT name FROM church WHERE id = $1", "params", List.of(8)),
                    "Sluice-Session", "app-session-1");
            assertThat(read.json().path("rows").get(0).path("name").asText()).isEqualTo("Renamed 8");
            assertThat(read.header("Sluice-Node")).isEqualTo("primary");
        } finally {
            suite.infra.resumeReplay(suite.infra.replica());
        }
        // The router told cache-service which table changed: the cached read is dropped and reloads fresh.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var again = cachedChurch(8);
            assertThat(again.json().path("rows").get(0).path("name").asText()).isEqualTo("Renamed 8");
        });
        assertThat(Metrics.sum(suite.cache, "sluice_cacheservice_invalidations_total", "")).isPositive();
    }

    @Test
    @Order(4)
    void partitionManagerKeepsTheRunwayAndArchivesAnOldMonth() throws Exception {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        LocalDate old = month.minusMonths(6);
        suite.infra.primary().execute("CREATE TABLE message_old PARTITION OF message FOR VALUES FROM ('" + old
                + "') TO ('" + old.plusMonths(1) + "')");
        suite.infra.primary().execute("INSERT INTO message (id, church_id, status, body, created_at) SELECT g, 1 + g % 50,"
                + " 'delivered', 'old news ' || g, timestamptz '" + old + " 00:00+00' + g * interval '1 minute'"
                + " FROM generate_series(1, 1000) g");

        var set = put(suite.partitions.url() + "/v1/partition-sets/public.message", obj(
                "column", "created_at", "interval", "monthly", "premake", 3,
                "retention", obj("keep", "P3M", "mode", "archive"),
                "archive", obj("store", "file", "path", suite.archives.toString()), "timezone", "UTC"),
                "Authorization", ADMIN);
        assertThat(set.status()).as(set.toString()).isEqualTo(200);

        var health = get(suite.partitions.url() + "/v1/partition-sets/public.message");
        assertThat(health.json().path("runway").asInt()).as(health.toString()).isGreaterThanOrEqualTo(3);
        assertThat(health.json().path("runwayOk").asBoolean()).isTrue();
        assertThat(suite.infra.primary().queryValue("SELECT to_regclass('message_old') IS NULL")).isEqualTo("t");

        JsonNode archives = get(suite.partitions.url() + "/v1/archives").json();
        JsonNode archive = null;
        for (JsonNode a : archives.isArray() ? archives : archives.path("archives")) {
            if (a.toString().contains("message_old")) {
                archive = a;
            }
        }
        assertThat(archive).as("an archive of message_old in %s", archives).isNotNull();
        assertThat(archive.toString()).contains("1000");
        try (var files = Files.list(suite.archives)) {
            assertThat(files.map(Path::toString).toList()).anyMatch(f -> f.endsWith(".copy.gz"))
                    .anyMatch(f -> f.endsWith(".manifest.json"));
        }

        // This month's partition exists, so the app's writes land: a bulk insert through the router.
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            rows.append(i == 0 ? "" : ",").append("[").append(100_000 + i).append(", ").append(1 + i % 50)
                    .append(", \"queued\", \"hello\"]");
        }
        var bulk = post(suite.router.url() + "/v1/bulk", "{\"query\": \"INSERT INTO message (id, church_id, status,"
                + " body, created_at) VALUES ($1, $2, $3, $4, now())\", \"rows\": [" + rows
                + "], \"chunk_size\": 100, \"mode\": \"per_chunk\", \"parallelism\": 2}");
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
        assertThat(bulk.json().path("row_count").asLong()).isEqualTo(500);
        assertThat(suite.infra.primary().queryValue("SELECT count(*) FROM message WHERE status = 'queued'"))
                .isEqualTo("500");
    }

    @Test
    @Order(5)
    void queryMonitorShowsPercentilesFlagsTheSlowQueryAndVerifiesAnIndex() {
        for (int i = 0; i < 30; i++) {
            routerRead(FAST_SQL, 1 + i);
        }
        for (int i = 0; i < 4; i++) {
            routerRead(SLOW_SQL, 100 + i);
        }
        String slow = SqlNormalizer.fingerprint(SLOW_SQL);
        String fast = SqlNormalizer.fingerprint(FAST_SQL);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String top = get(suite.queryMonitor.url() + "/metrics/queries?limit=100").text();
            assertThat(top).contains(slow).contains(fast);
        });
        JsonNode slowList = get(suite.queryMonitor.url() + "/v1/queries/slow").json();
        assertThat(slowList.toString()).contains(slow).doesNotContain(fast);
        JsonNode entry = find(get(suite.queryMonitor.url() + "/metrics/queries?limit=100").json(), slow);
        assertThat(entry).as("the slow query's figures").isNotNull();
        assertThat(entry.toString()).contains("p50").contains("p95").contains("p99");
        QueryMonitorAdvice.assertVerifiedIndex(suite, slow, "message_recipient", "member_id",
                () -> routerRead(SLOW_SQL, 200));
    }

    @Test
    @Order(6)
    void afterTheWorkloadPromtoolFindsNothingInAnyServicesMetrics() {
        // After traffic, so the meters that only appear with use (HTTP and SQL clients, reporters) are linted too.
        for (var service : suite.all()) {
            String text = get(service.url() + "/q/metrics", "Accept", PromtoolLint.TEXT_FORMAT).text();
            assertThat(PromtoolLint.findings(text)).as("promtool check metrics on %s", service.name()).isEmpty();
        }
    }

    private static Http.Answer cachedChurch(int id) {
        return post(suite.cache.url() + "/v1/cache/query", obj("namespace", "churches",
                "sql", "SELECT id, name FROM church WHERE id = $1", "params", List.of(id), "ttl_s", 300));
    }

    private static void routerRead(String sql, int param) {
        var r = post(suite.router.url() + "/sql", obj("query", sql, "params", List.of(param)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** The entry of a fingerprint in a JSON answer (an array, or an object holding one). */
    static JsonNode find(JsonNode answer, String fingerprint) {
        List<JsonNode> candidates = new ArrayList<>();
        answer.forEach(candidates::add);
        answer.path("queries").forEach(candidates::add);
        return candidates.stream().filter(n -> n.toString().contains(fingerprint)).findFirst().orElse(null);
    }
}
