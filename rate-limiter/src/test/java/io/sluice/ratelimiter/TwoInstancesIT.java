package io.sluice.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.testing.SluiceInfra;

/** Two real rate-limiter processes (the packaged jar) share one Redis and together enforce one limit. */
class TwoInstancesIT {

    private static final String TOKEN = "it-admin-token";
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Process> instances = new ArrayList<>();
    private static String a;
    private static String b;

    @BeforeAll
    static void startTwo() throws Exception {
        assertThat(JAR).as("the packaged service (mvn package runs before this test)").exists();
        var redis = SluiceInfra.get().redis();
        a = start("a", redis);
        b = start("b", redis);
        for (String instance : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> status(instance + "/q/health/ready") == 200);
            // Warm up (class loading, JIT, connections), so the timed loops measure the limiter, not a cold JVM.
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < until) {
                check(instance, "warm-up-" + UUID.randomUUID());
                put(instance, "warm-up-" + UUID.randomUUID(), "{\"tier\": \"pro\"}");
            }
        }
    }

    @AfterAll
    static void stop() {
        instances.forEach(Process::destroy);
    }

    @Test
    void twoInstancesTogetherEnforceOneLimit() throws Exception {
        String key = "it-" + UUID.randomUUID();
        assertThat(put(a, key, "{\"tier\": \"free\", \"overrides\": " + Api.onlyPerSecond(10, 5) + "}")).isEqualTo(200);
        int allowed = 0;
        long start = System.nanoTime();
        long end = start + Duration.ofMillis(2500).toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            int status = check(i++ % 2 == 0 ? a : b, key).statusCode();
            assertThat(status).isIn(200, 429);
            allowed += status == 200 ? 1 : 0;
        }
        double expected = 5 + 10 * (System.nanoTime() - start) / 1e9;
        assertThat((double) allowed).as("allowed by both, together").isBetween(expected - 2, expected + 1);
    }

    @Test
    void aTierChangeThroughOneInstanceAppliesOnTheOthersNextRequest() throws Exception {
        String key = "it-" + UUID.randomUUID();
        assertThat(JSON.readTree(check(b, key, 5).body()).get("tier").asText()).isEqualTo("free");
        assertThat(put(a, key, "{\"tier\": \"enterprise\"}")).isEqualTo(200);
        var next = JSON.readTree(check(b, key).body());
        assertThat(next.get("tier").asText()).isEqualTo("enterprise");
        // free's minute burst is 10 with 5 used (half, less what refilled since: 1/s); enterprise's is 2000 and
        // refills 1/ms. A reset to full would leave 1999; the carried-over half leaves about 1000.
        assertThat(next.get("policies").get(0).get("remaining").asInt()).isBetween(800, 1400);
    }

    @Test
    void aCatalogueChangeThroughOneInstanceIsAnnouncedToTheOther() throws Exception {
        String original = send(b, "GET", "/v1/ratelimit/tiers", null).body();
        String changed = "{\"standard\": {\"policies\": {\"minute\": {\"limit\": 777, \"window\": 60, \"burst\": 7}}}}";
        try {
            var put = send(a, "PUT", "/v1/ratelimit/tiers", changed);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            // b re-reads the catalogue only hourly here: within a second, only the announcement can have told it.
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(JSON.readTree(send(b, "GET", "/v1/ratelimit/tiers", null).body())
                            .at("/tiers/standard/policies/minute/limit").asInt()).isEqualTo(777));
            String key = "it-" + UUID.randomUUID();
            assertThat(put(a, key, "{\"tier\": \"standard\"}")).isEqualTo(200);
            var decision = JSON.readTree(check(b, key).body());
            assertThat(decision.at("/policies/0/limit").asInt()).isEqualTo(777);
        } finally {
            JsonNode tiers = JSON.readTree(original).get("tiers");
            send(a, "PUT", "/v1/ratelimit/tiers", JSON.writeValueAsString(tiers));
        }
    }

    @Test
    void anUpgradeThroughOneInstanceIsHonouredOnTheOtherWithinASecondThoughItCachedTheKeyAsRefused() throws Exception {
        String key = spentAndHotOnB("{\"tier\": \"free\", \"overrides\": " + ONE_A_DAY + "}");
        // Pro's day policy takes over the spent share (all of it) but refills one request every 0.17 s.
        assertThat(put(a, key, "{\"tier\": \"pro\"}")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            var r = check(b, key);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("tier").asText()).isEqualTo("pro");
        });
    }

    @Test
    void aResetThroughOneInstanceIsHonouredOnTheOtherWithinASecond() throws Exception {
        String key = spentAndHotOnB("{\"tier\": \"free\", \"overrides\": " + ONE_A_DAY + "}");
        assertThat(send(a, "DELETE", "/v1/ratelimit/keys/" + key, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> check(b, key).statusCode() == 200);
    }

    @Test
    void aCatalogueChangeThroughOneInstanceReachesTheOthersCachedRefusalsWithinASecond() throws Exception {
        String original = send(b, "GET", "/v1/ratelimit/tiers", null).body();
        try {
            var strict = send(a, "PUT", "/v1/ratelimit/tiers", "{\"standard\": {\"policies\": {\"day\": "
                    + "{\"limit\": 1, \"window\": 86400}}}}");
            assertThat(strict.statusCode()).as(strict.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> JSON.readTree(
                    send(b, "GET", "/v1/ratelimit/tiers", null).body()).at("/tiers/standard/policies/day/limit")
                    .asInt() == 1);
            String key = spentAndHotOnB("{\"tier\": \"standard\"}");
            // The spent share carries over (all of it), but a million a day refills one request in 86 ms.
            var generous = send(a, "PUT", "/v1/ratelimit/tiers", "{\"standard\": {\"policies\": {\"day\": "
                    + "{\"limit\": 1000000, \"window\": 86400}}}}");
            assertThat(generous.statusCode()).as(generous.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> check(b, key).statusCode() == 200);
        } finally {
            send(a, "PUT", "/v1/ratelimit/tiers", JSON.writeValueAsString(JSON.readTree(original).get("tiers")));
        }
    }

    /** One request a day and nothing else: once spent, a refusal's retry time is hours (worth caching). */
    private static final String ONE_A_DAY = "{\"minute\": null, \"day\": {\"limit\": 1, \"window\": 86400}}";

    /** A key set up through A, spent on B, and refused by B from its hot-key cache (seen in the source header). */
    private static String spentAndHotOnB(String settings) throws Exception {
        String key = "it-" + UUID.randomUUID();
        assertThat(put(a, key, settings)).isEqualTo(200);
        assertThat(check(b, key).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var r = check(b, key);
            return r.statusCode() == 429 && "hot-cache".equals(r.headers().firstValue("Sluice-RateLimit-Source")
                    .orElse(""));
        });
        return key;
    }

    private static HttpResponse<String> send(String instance, String method, String path, String body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String start(String name, io.sluice.testing.RedisServer redis) throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("rate-limiter-" + name, ".log");
        Process p = new ProcessBuilder("java", "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.redis.hosts=" + redis.url(),
                "-Dquarkus.redis.client-type=" + redis.clientType(),
                "-Drate-limiter.admin.token=" + TOKEN,
                "-Drate-limiter.redis.timeout=2s",
                // No scheduled re-read during the test: a catalogue change must arrive by its announcement.
                "-Drate-limiter.redis.catalogue-refresh=1h",
                "-Dquarkus.log.console.json.enabled=false",
                "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        instances.add(p);
        return "http://127.0.0.1:" + port;
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static HttpResponse<String> check(String instance, String key) throws Exception {
        return check(instance, key, 1);
    }

    private static HttpResponse<String> check(String instance, String key, int cost) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance + "/v1/ratelimit/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"" + key + "\", \"cost\": " + cost + "}"))
                .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int put(String instance, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance + "/v1/ratelimit/keys/" + key))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
