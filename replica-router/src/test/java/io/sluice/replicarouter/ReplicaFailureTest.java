package io.sluice.replicarouter;

import static io.sluice.replicarouter.RouterClient.nodeOf;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** A real replica dies under concurrent read load: no read may fail, and the replica is used again once back. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class ReplicaFailureTest {

    private static final int WORKERS = 8;
    private static final Duration LOAD = Duration.ofSeconds(4);

    private final SluiceInfra infra = SluiceInfra.get();

    @TestHTTPResource("/sql")
    URL sqlEndpoint;

    @AfterEach
    void restore() {
        infra.heal();
    }

    @Test
    void aReplicaKilledUnderLoadCostsNoFailedReadAndComesBack() throws Exception {
        RoutingTest.awaitNodeUp("replica1");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest read = HttpRequest.newBuilder(URI.create(sqlEndpoint.toString()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT count(*) FROM pg_class\"}"))
                .timeout(Duration.ofSeconds(10)).build();
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        Map<String, Integer> served = new ConcurrentHashMap<>();
        // The load runs until LOAD after the replica died (set below); the bound only keeps a broken test finite.
        AtomicLong until = new AtomicLong(System.nanoTime() + Duration.ofMinutes(2).toNanos());

        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                while (System.nanoTime() < until.get()) {
                    try {
                        HttpResponse<String> r = http.send(read, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            served.merge(r.headers().firstValue("Sluice-Node").orElse("?"), 1, Integer::sum);
                        } else {
                            failures.merge(r.statusCode() + " " + r.body(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        failures.merge(e.toString(), 1, Integer::sum);
                    }
                }
            }));
        }
        // The replica dies while it is serving this load (not before the first read reached it).
        await().atMost(Duration.ofSeconds(30)).until(() -> served.getOrDefault("replica1", 0) >= WORKERS);
        infra.replica().kill();
        until.set(System.nanoTime() + LOAD.toNanos());
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get();

        assertThat(failures).as("failed reads while the replica died").isEmpty();
        assertThat(ok.get()).isGreaterThan(WORKERS);
        assertThat(served).containsKeys("replica1", "primary");

        infra.replica().start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(nodeOf(post(sql("SELECT 1")))).isEqualTo("replica1"));
    }
}
