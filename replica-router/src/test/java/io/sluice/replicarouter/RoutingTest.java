package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static io.sluice.replicarouter.RouterClient.nodeOf;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.reasonOf;
import static io.sluice.replicarouter.RouterClient.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testing.MetricsScrape;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** Where statements go, against the harness's real primary and streaming replica. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class RoutingTest {

    private final SluiceInfra infra = SluiceInfra.get();

    @AfterEach
    void restore() {
        infra.heal();
        awaitNodeUp("replica1");
        awaitNodeUp("primary");
    }

    @Test
    void readsGoToTheReplicaAndWritesToThePrimaryWithTheirCommitLsn() {
        String t = table();
        Response write = post(sql("CREATE TABLE " + t + " (id int)"));
        assertThat(write.statusCode()).isEqualTo(200);
        assertThat(nodeOf(write)).isEqualTo("primary");
        assertThat(reasonOf(write)).isEqualTo("write");
        assertThat(write.header("Sluice-Commit-Lsn")).matches("[0-9A-F]+/[0-9A-F]+");

        Response read = post(sql("SELECT pg_is_in_recovery() AS standby"));
        assertThat(nodeOf(read)).isEqualTo("replica1");
        assertThat(reasonOf(read)).isEqualTo("read");
        assertThat(read.jsonPath().getString("rows[0].standby")).isEqualTo("t");
        assertThat(read.header("Sluice-Commit-Lsn")).isNull();
    }

    @Test
    void headerAndCommentHintsOverrideClassification() {
        Response header = post(sql("SELECT pg_is_in_recovery() AS standby").header("Sluice-Route", "primary"));
        assertThat(nodeOf(header)).isEqualTo("primary");
        assertThat(reasonOf(header)).isEqualTo("hint");
        assertThat(header.jsonPath().getString("rows[0].standby")).isEqualTo("f");

        Response comment = post(sql("/* sluice:route=primary */ SELECT 1"));
        assertThat(nodeOf(comment)).isEqualTo("primary");
    }

    @Test
    void aWriteHiddenInAFunctionIsRetriedOnThePrimaryAndCounted() {
        String t = table();
        post(sql("CREATE TABLE " + t + " (n int)")).then().statusCode(200);
        String fn = "bump_" + t;
        post(sql("CREATE FUNCTION " + fn + "() RETURNS int LANGUAGE sql AS $$ INSERT INTO " + t
                + " VALUES (1) RETURNING n $$")).then().statusCode(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        double before = MetricsScrape.value("sluice_replicarouter_misclassified_total");

        Response r = post(sql("SELECT " + fn + "() AS n"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(nodeOf(r)).isEqualTo("primary");
        assertThat(reasonOf(r)).isEqualTo("retry");
        assertThat(infra.primary().queryValue("SELECT count(*) FROM " + t)).isEqualTo("1");
        assertThat(MetricsScrape.value("sluice_replicarouter_misclassified_total")).isEqualTo(before + 1);
    }

    @Test
    void aReplicaBeyondTheLagLimitGetsNoReadsUntilItCatchesUp() {
        String t = table();
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        infra.pauseReplay(infra.replica());
        try {
            post(sql("INSERT INTO " + t + " VALUES (1)")).then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Response read = post(sql("SELECT count(*) AS c FROM " + t));
                assertThat(nodeOf(read)).isEqualTo("primary");
                assertThat(reasonOf(read)).isEqualTo("lag");
                assertThat(read.jsonPath().getString("rows[0].c")).isEqualTo("1");
            });
            given().when().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'replica-router-nodes' }.data.reads",
                            is("falling back to the primary"));
        } finally {
            infra.resumeReplay(infra.replica());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(nodeOf(post(sql("SELECT count(*) FROM " + t)))).isEqualTo("replica1"));
    }

    @Test
    void readYourWritesWithTheCommitLsnOrASessionEvenWhileReplayIsPaused() {
        String t = table();
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        infra.pauseReplay(infra.replica());
        try {
            String session = "s-" + UUID.randomUUID();
            Response write = post(sql("INSERT INTO " + t + " VALUES (42)").header("Sluice-Session", session));
            String lsn = write.header("Sluice-Commit-Lsn");
            assertThat(lsn).isNotNull();

            for (int i = 0; i < 5; i++) {
                Response byLsn = post(sql("SELECT count(*) AS c FROM " + t).header("Sluice-Min-Lsn", lsn));
                assertThat(byLsn.jsonPath().getString("rows[0].c")).isEqualTo("1");
                Response bySession = post(sql("SELECT count(*) AS c FROM " + t).header("Sluice-Session", session));
                assertThat(bySession.jsonPath().getString("rows[0].c")).isEqualTo("1");
                assertThat(nodeOf(bySession)).isEqualTo("primary");
            }
            // Without a token the paused replica still serves (it is not yet beyond the lag limit): stale.
            Response plain = post(sql("SELECT count(*) AS c FROM " + t));
            if ("replica1".equals(nodeOf(plain))) {
                assertThat(plain.jsonPath().getString("rows[0].c")).isEqualTo("0");
            }
        } finally {
            infra.resumeReplay(infra.replica());
        }
        // Once replayed, the session's reads return to the replica.
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                nodeOf(post(sql("SELECT count(*) FROM " + t).header("Sluice-Session", "s-none")))).isEqualTo("replica1"));
    }

    @Test
    void badRoutingHeadersAreRejected() {
        post(sql("SELECT 1").header("Sluice-Route", "anywhere")).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("Sluice-Route"));
        post(sql("SELECT 1").header("Sluice-Min-Lsn", "not-an-lsn")).then().statusCode(400)
                .body("detail", containsString("LSN"));
        post(sql("SELECT 1").header("Sluice-Session", "bad session id!")).then().statusCode(400)
                .body("detail", containsString("Sluice-Session"));
    }

    @Test
    void nodesAreListedWithRoleAndLag() {
        given().when().get("/v1/nodes").then().statusCode(200)
                .body("find { it.name == 'primary' }.role", is("primary"))
                .body("find { it.name == 'replica1' }.role", is("replica"))
                .body("find { it.name == 'replica1' }.up", is(true))
                .body("find { it.name == 'replica1' }.lsn", notNullValue());
    }

    @Test
    void withThePrimaryDownWritesFailFastAndReadsKeepWorking() {
        String t = table();
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        infra.primary().kill();
        try {
            long started = System.nanoTime();
            post(sql("INSERT INTO " + t + " VALUES (1)")).then().statusCode(503)
                    .contentType("application/problem+json").body("type", endsWith("/primary-unavailable"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> post(sql("INSERT INTO " + t + " VALUES (2)"))
                    .then().statusCode(503).body("detail", containsString("No primary is reachable")));
            Response read = post(sql("SELECT count(*) AS c FROM " + t));
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(nodeOf(read)).isEqualTo("replica1");
            given().when().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'replica-router-nodes' }.data.writes", containsString("primary-unavailable"));
        } finally {
            infra.primary().start();
        }
    }

    private static String table() {
        return "rt_" + UUID.randomUUID().toString().replace("-", "");
    }

    static void awaitNodeUp(String name) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> given().when().get("/v1/nodes").then()
                .body("find { it.name == '" + name + "' }.up", is(true)));
    }
}
