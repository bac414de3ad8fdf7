package io.sluice.querymonitor;

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
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.common.sql.SqlNormalizer;
import io.sluice.testing.ServiceProcess;
import io.sluice.testing.SluiceInfra;

/**
 * Three real query-monitor processes (the packaged jar), each scheduled to snapshot pg_stat_statements every second,
 * on one database and one Redis: every call is counted once (not three times), also across a hand-over when the
 * snapshotting instance stops, and the top-K metric labels come from the fleet's figures, not each instance's own.
 */
class ThreeInstancesIT {

    private static final String LEASE = "sluice:querymonitor:{snapshot:primary}:lease";
    private static final String BASELINE = "sluice:querymonitor:{snapshot:primary}:baseline";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SluiceInfra infra;
    private static final List<ServiceProcess> instances = new ArrayList<>();

    @BeforeAll
    static void startThree() {
        infra = SluiceInfra.get();
        infra.heal();
        for (String name : List.of("qm-a", "qm-b", "qm-c")) {
            instances.add(ServiceProcess.of(name, Path.of("."), Map.of(
                    "quarkus.datasource.reactive.url", infra.primary().reactiveUrl(),
                    "query-monitor.snapshot.interval", "1s",
                    "query-monitor.metrics.top-k", "1",
                    "query-monitor.metrics.top-k-refresh", "1s"))
                    .env(Map.of("SLUICE_PG_PRIMARY_URL", infra.primary().reactiveUrl(),
                            "SLUICE_PG_REPLICA_URL", infra.replica().reactiveUrl()))
                    .redis(infra.redis()));
        }
        instances.parallelStream().forEach(p -> p.start(Duration.ofSeconds(120)));
    }

    @AfterAll
    static void stop() {
        instances.forEach(ServiceProcess::stop);
    }

    @Test
    void everyCallIsCountedOnceByThreeInstancesAndAcrossAHandOver() throws Exception {
        String t = "qm_" + UUID.randomUUID().toString().replace("-", "");
        infra.primary().execute("CREATE TABLE " + t + " (id int PRIMARY KEY, name text)");
        String sql = "SELECT name FROM " + t + " WHERE id = ";
        String fingerprint = SqlNormalizer.fingerprint(sql + "1");
        await().atMost(Duration.ofSeconds(30)).until(() -> !infra.redis().command("GET", LEASE).isEmpty());

        run(sql, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(instances.get(2), fingerprint) >= 10);
        awaitSnapshotRounds(3);
        assertThat(calls(instances.get(2), fingerprint)).as("10 calls seen by three instances").isEqualTo(10);

        ServiceProcess holder = holder();
        holder.stop();
        ServiceProcess next = instances.stream().filter(p -> p != holder).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ServiceProcess now = holderOrNull();
            return now != null && now != holder;
        });
        run(sql, 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(next, fingerprint) >= 15);
        awaitSnapshotRounds(3);
        assertThat(calls(next, fingerprint)).as("after the hand-over: nothing lost, nothing twice").isEqualTo(15);
        holder.start(Duration.ofSeconds(120));
    }

    @Test
    void topKLabelsComeFromTheFleetsFigures() throws Exception {
        String heavy = "SELECT heavy_" + UUID.randomUUID().toString().replace("-", "") + " FROM t WHERE id = 1";
        String local = "SELECT local_" + UUID.randomUUID().toString().replace("-", "") + " FROM t WHERE id = 1";
        ServiceProcess a = instances.get(0);
        ServiceProcess b = instances.get(1);
        // The fleet's heaviest statement: 60 s of it, all reported to a.
        samples(a, heavy, 60, 1000);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(b, SqlNormalizer.fingerprint(heavy), "app") == 60);
        // On b alone another statement weighs more: a per-instance top 1 would label that one on b.
        samples(b, local, 20, 500);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            samples(b, heavy, 1, 1);
            samples(b, local, 1, 1);
            return metrics(b).contains("fingerprint=\"" + SqlNormalizer.fingerprint(heavy) + "\"");
        });
        assertThat(metrics(b)).doesNotContain("fingerprint=\"" + SqlNormalizer.fingerprint(local) + "\"");
    }

    private static void run(String sql, int times) {
        for (int i = 0; i < times; i++) {
            infra.primary().queryValue(sql + i);
        }
    }

    /** Waits until the shared baseline was replaced n more times (n more snapshot rounds of the fleet). */
    private static void awaitSnapshotRounds(int n) {
        long from = Long.parseLong(infra.redis().command("HGET", BASELINE, "taken"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Long.parseLong(infra.redis().command("HGET", BASELINE, "taken")) >= from + n * 1000L);
    }

    private static ServiceProcess holder() {
        ServiceProcess p = holderOrNull();
        assertThat(p).as("an instance holds the primary's snapshot lease").isNotNull();
        return p;
    }

    private static ServiceProcess holderOrNull() {
        String value = infra.redis().command("GET", LEASE);
        return instances.stream().filter(p -> p.isAlive() && value.contains("/" + p.pid() + "-")).findFirst()
                .orElse(null);
    }

    private static long calls(ServiceProcess instance, String fingerprint) throws Exception {
        return calls(instance, fingerprint, "primary");
    }

    /** Calls of a fingerprint in a database over the last 5 minutes, as the instance reads the fleet's figures. */
    private static long calls(ServiceProcess instance, String fingerprint, String database) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(instance.url()
                + "/metrics/queries?window=5m&limit=500&database=" + database)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode q : JSON.readTree(r.body()).path("queries")) {
            if (fingerprint.equals(q.path("fingerprint").asText())) {
                JsonNode statements = q.path("statements");
                return database.equals("primary") ? statements.path("calls").asLong() : q.path("calls").asLong();
            }
        }
        return 0;
    }

    private static void samples(ServiceProcess instance, String sql, int count, double ms) throws Exception {
        StringBuilder body = new StringBuilder("{\"samples\": [");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("{\"sql\": \"").append(sql).append("\", \"database\": \"app\", ")
                    .append("\"duration_ms\": ").append(ms).append("}");
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(instance.url() + "/v1/queries/samples"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static String metrics(ServiceProcess instance) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance.url() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
