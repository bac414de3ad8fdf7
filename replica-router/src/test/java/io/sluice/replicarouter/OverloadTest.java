package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/**
 * Overload is a state, not a failure: with four times more concurrent requests than pool slots, every answer is a
 * 200 or a fast 503 overloaded with Retry-After, no node is marked down, every acknowledged write is committed, and
 * the router serves normally as soon as the load stops. Clients that give up mid-request (the load tool's timeout
 * that wedged the router in load profile b) leave no connection behind.
 */
@QuarkusTest
@TestProfile(OverloadTest.TinyPools.class)
@WithTestResource(SluiceInfraResource.class)
class OverloadTest {

    private static final Logger LOG = Logger.getLogger(OverloadTest.class);

    private static final int SLOTS_PER_NODE = 2;
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofMillis(500);

    /** Two connections and four waiters per node, half a second of waiting at most. */
    public static class TinyPools implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("replica-router.pool.max-size", Integer.toString(SLOTS_PER_NODE),
                    "replica-router.pool.max-wait-queue", "4",
                    "replica-router.pool.acquire-timeout", ACQUIRE_TIMEOUT.toMillis() + "ms");
        }
    }

    @TestHTTPResource("/sql")
    URL sqlUrl;

    private static String table;

    @BeforeAll
    static void schema() {
        table = "ov_" + UUID.randomUUID().toString().replace("-", "");
        SluiceInfra.get().primary().execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY)");
    }

    @Test
    void fourTimesMoreClientsThanSlotsGetFastAnswersAndTheRouterRecoversByItself() throws Exception {
        double circuitOpensBefore = metric("sluice_replicarouter_circuit_opens_total");
        int clients = 4 * 2 * SLOTS_PER_NODE;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicLong ids = new AtomicLong();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong slowestMillis = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        for (int c = 0; c < clients; c++) {
            boolean writer = c % 2 == 0;
            pool.submit(() -> {
                while (running.get()) {
                    long id = ids.incrementAndGet();
                    String body = writer
                            ? "{\"query\": \"INSERT INTO " + table + " SELECT $1::bigint FROM pg_sleep(0.02)\","
                                    + " \"params\": [\"" + id + "\"]}"
                            : "{\"query\": \"SELECT pg_sleep(0.02), 1 AS one\"}";
                    long started = System.nanoTime();
                    HttpResponse<String> r = send(http, body);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (measuring.get()) {
                        slowestMillis.accumulateAndGet(millis, Math::max);
                    }
                    String kind = r == null ? "no answer" : r.statusCode() + (r.statusCode() == 503
                            ? " " + JsonPath.from(r.body()).getString("type").replaceAll(".*/", "") : "");
                    answers.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                    if (r != null && r.statusCode() == 200 && writer) {
                        acknowledged.add(id);
                    } else if (r != null && r.statusCode() == 503) {
                        // A client backs off when refused (a short pause, not the full Retry-After, to keep the
                        // pressure on); without it the clients only spin on this machine's two cores.
                        pause(Duration.ofMillis(20));
                    }
                    if (r == null || !(r.statusCode() == 200 || (r.statusCode() == 503
                            && kind.endsWith("overloaded") && r.headers().firstValue("Retry-After").isPresent()))) {
                        wrong.add(kind + (r == null ? "" : ": " + r.body()));
                    }
                }
                return null;
            });
        }
        // The first seconds after start-up measure class loading and the JIT, not the router: they are not counted.
        Thread.sleep(5000);
        measuring.set(true);
        List<String> nodeStates = new ArrayList<>();
        Duration overload = Duration.ofSeconds(Long.getLong("overload.seconds", 60));
        long end = System.nanoTime() + overload.toNanos();
        pool.submit(() -> {
            while (System.nanoTime() < end) {
                List<Boolean> up = given().get("/v1/nodes").jsonPath().getList("up");
                if (up.contains(false)) {
                    nodeStates.add(up.toString());
                }
                Thread.sleep(250);
            }
            return null;
        });
        while (System.nanoTime() < end) {
            Thread.sleep(200);
        }
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        LOG.infof("overload for %s: answers %s, slowest %d ms, %d writes acknowledged", overload, answers,
                slowestMillis.get(), acknowledged.size());
        assertThat(wrong).as("answers other than 200 or 503 overloaded with Retry-After").isEmpty();
        assertThat(answers.get("200").get()).as("answers %s", answers).isPositive();
        assertThat(answers.get("503 overloaded")).as("answers %s: the load must overflow the pools", answers)
                .isNotNull();
        assertThat(slowestMillis.get()).as("the slowest answer, ms").isLessThan(ACQUIRE_TIMEOUT.toMillis() + 1000);
        assertThat(nodeStates).as("probes during the overload saw a node down").isEmpty();
        assertThat(metric("sluice_replicarouter_circuit_opens_total")).isEqualTo(circuitOpensBefore);
        assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + table + " WHERE id = ANY(?::bigint[])",
                "{" + String.join(",", acknowledged.stream().map(String::valueOf).toList()) + "}"))
                .isEqualTo(Integer.toString(acknowledged.size()));

        everyRequestSucceedsAgainWithinFiveSeconds(http);
    }

    @Test
    void clientsThatGiveUpWhileQueuedOrRunningLeaveNoConnectionBehind() throws Exception {
        // As many clients as the primary has connections and waiters, each hanging up mid-request: those running
        // have their 30 s statement cancelled on the server, those queued never run it.
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 2 * SLOTS_PER_NODE; i++) {
            sockets.add(open("{\"query\": \"SELECT pg_sleep(30)\"}", "primary"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> SluiceInfra.get().primary().queryValue(
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'")
                .equals(Integer.toString(SLOTS_PER_NODE)));
        for (Socket s : sockets) {
            s.close();
        }
        everyConnectionIsBackSoon();

        // A batch cut off mid-transaction is cancelled and rolled back, never committed.
        String id = Long.toString(System.nanoTime());
        Socket batch = open("{\"queries\": [{\"query\": \"INSERT INTO " + table + " VALUES (" + id + ")\"},"
                + " {\"query\": \"SELECT pg_sleep(30)\"}]}", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> SluiceInfra.get().primary().queryValue(
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'").equals("1"));
        batch.close();
        everyConnectionIsBackSoon();

        assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM " + table + " WHERE id = " + id))
                .isEqualTo("0");
        assertThat(metric("sluice_replicarouter_client_cancels_total")).isGreaterThanOrEqualTo(SLOTS_PER_NODE + 1);
        everyRequestSucceedsAgainWithinFiveSeconds(HttpClient.newHttpClient());
    }

    /**
     * Cancelled on the server, released to the pool: nothing of the router runs or waits any more, long before the
     * 30 s statements would have ended by themselves.
     */
    private static void everyConnectionIsBackSoon() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(SluiceInfra.get().primary().queryValue("SELECT count(*) FROM pg_stat_activity WHERE"
                    + " application_name = 'sluice-replica-router' AND state <> 'idle'")).isEqualTo("0");
            JsonPath pools = given().get("/v1/pools").jsonPath();
            assertThat(pools.getList("inUse", Integer.class)).containsOnly(0);
            assertThat(pools.getList("waiting", Integer.class)).containsOnly(0);
        });
    }

    private void everyRequestSucceedsAgainWithinFiveSeconds(HttpClient http) {
        String read = "{\"query\": \"SELECT 1 AS one\"}";
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<String> r = send(http, read);
            return r != null && r.statusCode() == 200;
        });
        for (int i = 0; i < 2 * SLOTS_PER_NODE * 10; i++) {
            HttpResponse<String> r = send(http, i % 2 == 0 ? read
                    : "{\"query\": \"INSERT INTO " + table + " VALUES (" + (-System.nanoTime()) + ")\"}");
            assertThat(r).isNotNull();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> send(HttpClient http, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(sqlUrl.toString()))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A raw HTTP request whose client can hang up at any moment, as a load tool's timeout does. */
    private Socket open(String body, String route) throws IOException {
        Socket socket = new Socket(sqlUrl.getHost(), sqlUrl.getPort());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /sql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + (route == null ? "" : "Sluice-Route: " + route + "\r\n")
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static double metric(String name) {
        return MetricsScrape.value(name);
    }
}
