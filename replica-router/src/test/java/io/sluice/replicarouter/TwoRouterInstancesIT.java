package io.sluice.replicarouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.testing.PostgresNode;
import io.sluice.testing.ServiceProcess;
import io.sluice.testing.SluiceInfra;

/**
 * Two real router processes (the packaged jar) share PostgreSQL and Redis: a session's write through one is read
 * through the other while the replicas lag; a node one marks down is down on the other (which would need a thousand
 * failed probes of its own); and a failover made through one is followed by the other, which then writes only to
 * the new primary, never to the old one when it returns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoRouterInstancesIT {

    private static final String TOKEN = "it-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SluiceInfra infra;
    private static PostgresNode spare;
    private static final List<ServiceProcess> routers = new ArrayList<>();
    private static String a;
    private static String b;

    @BeforeAll
    static void startTwoRouters() throws Exception {
        infra = SluiceInfra.get();
        infra.heal();
        spare = infra.startExtraReplica();
        a = start("a", Map.of());
        // b alone would take a thousand failed probes to call a node down: what it knows sooner came from a.
        b = start("b", Map.of("replica-router.health.down-after", "1000"));
        for (String router : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeUp(router, "spare") && nodeUp(router, "primary"));
        }
    }

    @AfterAll
    static void stop() {
        routers.forEach(ServiceProcess::stop);
        if (spare != null) {
            infra.removeExtraReplica(spare);
        }
        infra.redis().command("DEL", "sluice:replicarouter:{nodes}:topology");
        infra.heal();
    }

    @Test
    @Order(1)
    void aSessionsWriteThroughOneInstanceIsReadThroughTheOtherWhileTheReplicasLag() throws Exception {
        String t = "it_" + UUID.randomUUID().toString().replace("-", "");
        assertThat(sql(a, "CREATE TABLE " + t + " (id int)", null).statusCode()).isEqualTo(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        infra.awaitReplayed(spare, Duration.ofSeconds(10));
        infra.pauseReplay(infra.replica());
        infra.pauseReplay(spare);
        try {
            String session = "it-" + UUID.randomUUID();
            HttpResponse<String> write = sql(a, "INSERT INTO " + t + " VALUES (42)", session);
            assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
            HttpResponse<String> read = sql(b, "SELECT count(*) AS c FROM " + t, session);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).at("/rows/0/c").asText()).as("the session's own write").isEqualTo("1");
            assertThat(read.headers().firstValue("Sluice-Node")).hasValue("primary");
            // Neither replica has the row: a read that went to one would have missed it.
            assertThat(infra.replica().queryValue("SELECT count(*) FROM " + t)).isEqualTo("0");
            assertThat(spare.queryValue("SELECT count(*) FROM " + t)).isEqualTo("0");
        } finally {
            infra.resumeReplay(infra.replica());
            infra.resumeReplay(spare);
        }
    }

    @Test
    @Order(2)
    void aNodeOneInstanceMarksDownIsDownOnTheOther() throws Exception {
        infra.replica().stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !nodeUp(a, "replica1"));
            // b's own probes (every 200 ms, down after 1000 failures) would take over three minutes.
            await().atMost(Duration.ofSeconds(10)).until(() -> "down".equals(state(b, "replica1")));
        } finally {
            infra.replica().start();
        }
        for (String router : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> nodeUp(router, "replica1"));
        }
    }

    @Test
    @Order(3)
    void aFailoverThroughOneInstanceIsFollowedByTheOther() throws Exception {
        String t = "it_" + UUID.randomUUID().toString().replace("-", "");
        assertThat(sql(b, "CREATE TABLE " + t + " (id int)").statusCode()).isEqualTo(200);
        infra.awaitReplayed(spare, Duration.ofSeconds(10));

        infra.primary().kill();
        for (String router : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !nodeUp(router, "primary"));
        }
        HttpResponse<String> failover = post(a + "/v1/admin/failover", "{\"promote\": \"spare\"}", true);
        assertThat(failover.statusCode()).as(failover.body()).isEqualTo(200);

        // Instance b never saw the failover request: it follows through Redis within a few probe intervals.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> write = sql(b, "INSERT INTO " + t + " VALUES (1)");
            assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
            assertThat(write.headers().firstValue("Sluice-Node")).hasValue("spare");
        });

        // The old primary returns unchanged; neither instance writes to it again.
        infra.primary().start();
        for (String router : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "up, stale".equals(state(router, "primary")));
            HttpResponse<String> write = sql(router, "INSERT INTO " + t + " VALUES (2)");
            assertThat(write.headers().firstValue("Sluice-Node")).hasValue("spare");
        }
        assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("0");
    }

    private static String start(String name, Map<String, String> overrides) {
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "replica-router.nodes.primary.url", infra.primary().reactiveUrl(),
                "replica-router.nodes.replica1.url", infra.replica().reactiveUrl(),
                "replica-router.nodes.spare.url", spare.reactiveUrl(),
                "replica-router.admin.token", TOKEN,
                "replica-router.health.interval", "200ms",
                "replica-router.health.down-after", "2"));
        config.putAll(overrides);
        ServiceProcess router = ServiceProcess.of("router-" + name, Path.of("."), config);
        routers.add(router.redis(infra.redis()).start(Duration.ofSeconds(90)));
        return router.url();
    }

    /** Up and serving (not a stale primary). */
    private static boolean nodeUp(String router, String node) throws Exception {
        return "up".equals(state(router, node));
    }

    /** "up", "up, stale" or "down", as the router's GET /v1/nodes reports the node. */
    private static String state(String router, String node) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(router + "/v1/nodes")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode n : JSON.readTree(r.body())) {
            if (n.get("name").asText().equals(node)) {
                return !n.get("up").asBoolean() ? "down" : n.get("stale").asBoolean() ? "up, stale" : "up";
            }
        }
        return "unknown";
    }

    private static HttpResponse<String> sql(String router, String query) throws Exception {
        return sql(router, query, null);
    }

    private static HttpResponse<String> sql(String router, String query, String session) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(router + "/sql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"" + query + "\"}"));
        if (session != null) {
            request.header("Sluice-Session", session);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String body, boolean admin) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (admin) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
