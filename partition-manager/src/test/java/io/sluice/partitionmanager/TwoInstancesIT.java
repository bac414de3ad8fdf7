package io.sluice.partitionmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.partitionmanager.maintenance.MaintenanceLock;
import io.sluice.testing.ServiceProcess;
import io.sluice.testing.SluiceInfra;

/**
 * Two real partition-manager processes (the packaged jar), both scheduled every second, on one database and one
 * Redis. The run history shows that no two runs ever overlapped, that both instances ran, and that a holder paused
 * past its Redis lease (SIGSTOP) is fenced out when it wakes up: its next step is refused, its token superseded.
 */
class TwoInstancesIT {

    private static final String TOKEN = "it-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration LOCK_TTL = Duration.ofSeconds(4);

    private static SluiceInfra infra;
    private static final List<ServiceProcess> instances = new ArrayList<>();

    @BeforeAll
    static void startTwo() throws Exception {
        infra = SluiceInfra.get();
        infra.heal();
        Path archives = Files.createTempDirectory("pm-it-archives");
        for (String name : List.of("pm-a", "pm-b")) {
            instances.add(ServiceProcess.of(name, Path.of("."), Map.of(
                    "quarkus.datasource.jdbc.url", infra.primary().jdbcUrl(),
                    "partition-manager.admin.token", TOKEN,
                    "partition-manager.maintenance.cron", "* * * * * ?",
                    "partition-manager.lock.ttl", LOCK_TTL.toMillis() + "ms",
                    // A holder waits on a table lock the test holds (long enough to be paused meanwhile).
                    "partition-manager.ddl.lock-timeout", "20s",
                    "partition-manager.ddl.attempts", "1",
                    "partition-manager.archive.path", archives.toString()))
                    .redis(infra.redis()));
        }
        instances.parallelStream().forEach(p -> p.start(Duration.ofSeconds(120)));
    }

    @AfterAll
    static void stop() {
        instances.forEach(ServiceProcess::resume);
        instances.forEach(ServiceProcess::stop);
    }

    /**
     * Both instances fire at every second boundary (Quartz), so every second is one contended acquisition. Twenty
     * runs (about 20 s) prove what a minute would: each further second repeats the same race.
     */
    @Test
    void twoInstancesScheduledEverySecondNeverOverlapAndBothRun() throws Exception {
        for (int i = 0; i < 4; i++) {
            dailySet("soak");
        }
        Instant from = Instant.now();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> runsSince(from).size() >= 20);
        List<Run> runs = runsSince(from);
        assertThat(runs.stream().map(Run::instance).distinct().toList()).as("instances that ran").hasSize(2);
        assertNoOverlap(runs);
    }

    @Test
    void aHolderPausedPastItsLeaseIsFencedOutWhenItWakes() throws Exception {
        String table = dailySet("fence");
        Instant from = Instant.now();
        ServiceProcess holder;
        long token;
        try (Connection blocker = infra.primary().connect()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            // The next scheduled run has partitions to make and waits for the table: whoever holds the lease then.
            infra.primary().execute("UPDATE sluice_partman.partition_set SET premake = 6 WHERE table_name = ?", table);
            await().atMost(Duration.ofSeconds(20)).until(() -> Long.parseLong(infra.primary().queryValue("""
                    SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice-partition-manager'
                      AND wait_event_type = 'Lock'""")) > 0);
            String lockValue = infra.redis().command("GET", MaintenanceLock.LOCK_KEY);
            holder = instances.stream().filter(p -> lockValue.contains("/" + p.pid() + ":")).findFirst()
                    .orElseThrow(() -> new AssertionError("no instance holds the lock: " + lockValue));
            token = Long.parseLong(infra.primary().queryValue("SELECT token FROM sluice_partman.fence"));

            holder.pause();
            assertThat(Long.parseLong(infra.redis().command("PTTL", MaintenanceLock.LOCK_KEY)))
                    .as("paused while its Redis lease was still running").isPositive();
            // Its Redis lease expires; the other instance's next run takes the Redis lock and a newer token, finds
            // the advisory lock still held, and records its token: the paused holder is superseded.
            await().atMost(LOCK_TTL.plusSeconds(10)).until(() -> Long.parseLong(
                    infra.primary().queryValue("SELECT token FROM sluice_partman.fence")) > token);
            blocker.rollback();
        } finally {
            instances.forEach(ServiceProcess::resume);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(infra.primary().query("""
                SELECT outcome, error, instance FROM sluice_partman.run WHERE fencing_token = ?
                  AND set_name = ?""", token, "public." + table)).anySatisfy(r -> {
                      assertThat(r.get("outcome")).isEqualTo("REFUSED");
                      assertThat((String) r.get("error")).startsWith("superseded: fencing token " + token);
                      assertThat((String) r.get("instance")).endsWith("/" + holder.pid());
                  }));
        // The other instance finishes the job once the fenced-out holder let go.
        await().atMost(Duration.ofSeconds(20)).until(() -> Pg.partitions(table).size() == 7);
        String other = instances.stream().filter(p -> p != holder).findFirst().orElseThrow().url();
        assertThat(metric(other, "sluice_partitionmanager_lock_acquisitions_total{outcome=\"superseded\"}"))
                .isGreaterThanOrEqualTo(1);
        assertNoOverlap(runsSince(from));
    }

    /** A run (one lease, one token) spans its sets' records: from the first start to the last end. */
    private record Run(long token, String instance, Instant start, Instant end) {
    }

    private static List<Run> runsSince(Instant from) {
        Map<Long, Run> byToken = new TreeMap<>();
        for (Map<String, Object> r : infra.primary().query("""
                SELECT fencing_token, instance, started_at, duration_ms FROM sluice_partman.run
                WHERE started_at >= ? AND trigger = 'schedule'""", Timestamp.from(from))) {
            long token = ((Number) r.get("fencing_token")).longValue();
            Instant start = ((Timestamp) r.get("started_at")).toInstant();
            Instant end = start.plusMillis(((Number) r.get("duration_ms")).longValue());
            byToken.merge(token, new Run(token, (String) r.get("instance"), start, end), (x, y) -> new Run(token,
                    x.instance(), x.start().isBefore(y.start()) ? x.start() : y.start(),
                    x.end().isAfter(y.end()) ? x.end() : y.end()));
        }
        return new ArrayList<>(byToken.values());
    }

    private static void assertNoOverlap(List<Run> runs) {
        List<Run> byStart = runs.stream().sorted(Comparator.comparing(Run::start)).toList();
        for (int i = 1; i < byStart.size(); i++) {
            Run before = byStart.get(i - 1);
            Run next = byStart.get(i);
            assertThat(next.start()).as("run %d (%s) starts after run %d (%s) ended", next.token(), next.instance(),
                    before.token(), before.instance()).isAfterOrEqualTo(before.end());
            assertThat(next.token()).as("tokens grow with time").isGreaterThan(before.token());
        }
    }

    private static String dailySet(String prefix) throws Exception {
        String table = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        infra.primary().execute("CREATE TABLE " + table + " (id bigint, at date NOT NULL) PARTITION BY RANGE (at)");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(instances.get(0).url()
                + "/v1/partition-sets/" + table)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"column\": \"at\", \"interval\": \"day\", \"premake\": 1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return table;
    }

    private static double metric(String instance, String series) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(instance + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).split(" ")[0]);
            }
        }
        return 0;
    }
}
