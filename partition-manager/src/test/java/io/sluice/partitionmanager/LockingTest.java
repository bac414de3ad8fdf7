package io.sluice.partitionmanager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.maintenance.MaintenanceLock;
import io.sluice.partitionmanager.maintenance.MaintenanceService;
import io.sluice.partitionmanager.maintenance.RunRecord;
import io.sluice.partitionmanager.maintenance.RunRepository;
import io.sluice.partitionmanager.sets.PartitionSetRepository;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;
import io.sluice.testing.TestClock;

@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class LockingTest extends AsOperator {

    @Inject
    TestClock clock;

    @Inject
    MaintenanceService maintenance;

    @Inject
    PartitionSetRepository sets;

    @Inject
    RunRepository runs;

    @BeforeEach
    void fixTime() {
        clock.set(Instant.parse("2026-11-25T12:00:00Z"));
    }

    @AfterEach
    void cleanUp() {
        SluiceInfra.get().redis().start();
        SluiceInfra.get().redis().command("DEL", MaintenanceLock.LOCK_KEY);
        clock.reset();
        Pg.forgetAllSets();
    }

    static String dailySet() {
        String t = Pg.uniqueTable("lock");
        Pg.exec("CREATE TABLE " + t + " (id bigint, at date NOT NULL) PARTITION BY RANGE (at)");
        given().contentType("application/json").body("{\"column\": \"at\", \"interval\": \"day\", \"premake\": 1}")
                .when().put("/v1/partition-sets/" + t).then().statusCode(200);
        return t;
    }

    @Test
    void anotherInstanceHoldingTheRedisLockMeansThisOneDoesNotRun() {
        String t = dailySet();
        clock.advance(java.time.Duration.ofDays(1));
        SluiceInfra.get().redis().command("SET", MaintenanceLock.LOCK_KEY, "other-instance:1", "PX", "60000");
        given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/maintenance-busy"));
        assertThat(Pg.partitions(t)).hasSize(2);
        SluiceInfra.get().redis().command("DEL", MaintenanceLock.LOCK_KEY);
        given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(200);
        assertThat(Pg.partitions(t)).hasSize(3);
    }

    @Test
    void anInstanceStillHoldingTheAdvisoryLockAlsoBlocksARun() throws Exception {
        String t = dailySet();
        long holder;
        try (var other = Pg.primary().connect()) {
            try (var rs = other.createStatement().executeQuery("SELECT pg_backend_pid(), pg_advisory_lock("
                    + MaintenanceLock.ADVISORY_KEY + ")")) {
                rs.next();
                holder = rs.getLong(1);
            }
            given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(409);
        }
        // Closing the connection returns before its backend has ended and let go of the lock (seen on a busy machine).
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Pg.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = ?", holder) == 0);
        // The Redis lock taken by the refused attempt was released, so the next run goes ahead.
        given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(200);
    }

    @Test
    void aFencingCounterBehindPostgresIsRepairedAndTheRunIsFencedAboveIt() {
        String t = dailySet();
        // As after a Redis that lost its data: PostgreSQL has seen newer tokens than Redis now hands out.
        Pg.exec("UPDATE sluice_partman.fence SET token = token + 1000");
        long seen = Pg.count("SELECT token FROM sluice_partman.fence");
        long token = given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(200)
                .body("lockMode", is("redis+pg")).extract().jsonPath().getLong("fencingToken");
        assertThat(token).isGreaterThan(seen);
        assertThat(Pg.count("SELECT token FROM sluice_partman.fence")).isEqualTo(token);
    }

    @Test
    void concurrentRunsNeverOverlap() throws Exception {
        String t = dailySet();
        var set = sets.find("public", t).orElseThrow();
        var pool = Executors.newFixedThreadPool(6);
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(() -> {
                try {
                    maintenance.runOne(set, "concurrency");
                    return true;
                } catch (ProblemException busy) {
                    return false;
                }
            });
        }
        int ran = 0;
        for (Future<Boolean> f : pool.invokeAll(calls)) {
            ran += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(ran).isPositive();
        List<RunRecord> done = runs.list("public." + t, null, 100).stream()
                .filter(r -> r.trigger().equals("concurrency")).sorted(Comparator.comparing(RunRecord::fencingToken))
                .toList();
        assertThat(done).hasSize(ran);
        // Each run got its own, increasing fencing token: no two held the lock with the same one.
        assertThat(done.stream().map(RunRecord::fencingToken).distinct().count()).isEqualTo(ran);
    }

    @Test
    void withRedisStoppedMaintenanceRunsUnderTheAdvisoryLockAlone() {
        String t = dailySet();
        clock.advance(java.time.Duration.ofDays(1));
        SluiceInfra.get().redis().stop();
        try {
            given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(200)
                    .body("outcome", is("OK")).body("lockMode", is("pg-only"));
            assertThat(Pg.partitions(t)).hasSize(3);
            given().when().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                    "sluice_partitionmanager_lock_acquisitions_total{outcome=\"redis_unavailable\"}"));
        } finally {
            SluiceInfra.get().redis().start();
        }
        given().when().post("/v1/partition-sets/" + t + "/maintenance").then().statusCode(200)
                .body("lockMode", is("redis+pg"));
    }

    @Test
    void historyKeepsErrorsLongerThanSuccesses() throws Exception {
        for (int i = 0; i < 3; i++) {
            runs.save(new RunRecord(null, "public.bounded", "test", Instant.now(), 1, RunRecord.Outcome.ERROR, "pg-only",
                    0L, List.of(), "boom " + i));
        }
        for (int i = 0; i < 205; i++) {
            runs.save(new RunRecord(null, "public.bounded", "test", Instant.now(), 1, RunRecord.Outcome.OK, "pg-only",
                    0L, List.of(), null));
        }
        assertThat(Pg.count("SELECT count(*) FROM sluice_partman.run WHERE outcome = 'OK'")).isEqualTo(200);
        assertThat(Pg.count("SELECT count(*) FROM sluice_partman.run WHERE set_name = 'public.bounded'"
                + " AND outcome = 'ERROR'")).isEqualTo(3);
    }
}
