package io.sluice.replicarouter;

import static io.restassured.RestAssured.given;
import static io.sluice.replicarouter.RouterClient.post;
import static io.sluice.replicarouter.RouterClient.sql;
import static io.sluice.testing.HistoryReads.last;
import static io.sluice.testing.HistoryReads.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.replicarouter.history.RouterHistory;
import io.sluice.testing.SluiceInfra;
import io.sluice.testing.SluiceInfraResource;

/** GET /v1/history: statements routed between two points, and the replica's lag as the probes measured it. */
@QuarkusTest
@WithTestResource(SluiceInfraResource.class)
class HistoryTest {

    private final SluiceInfra infra = SluiceInfra.get();

    @Inject
    RouterHistory history;

    @AfterEach
    void restore() {
        infra.heal();
        RoutingTest.awaitNodeUp("replica1");
        RoutingTest.awaitNodeUp("primary");
    }

    @Test
    void aPointHoldsTheStatementsRoutedSinceThePreviousOne() {
        RoutingTest.awaitNodeUp("replica1");
        sample(); // the baseline
        for (int i = 0; i < 3; i++) {
            post(sql("SELECT " + i + " AS n")).then().statusCode(200);
        }
        sample();

        var h = read();
        assertThat(h.getInt("stepSeconds")).isEqualTo(3600);
        assertThat(last(h, "routed:replica") + last(h, "routed:primary")).isEqualTo(3.0);
    }

    @Test
    void aPointHoldsTheReplicasLagWhileReplayIsPausedAndZeroOnceCaughtUp() {
        String t = "hist_" + UUID.randomUUID().toString().replace("-", "");
        post(sql("CREATE TABLE " + t + " (id int)")).then().statusCode(200);
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        infra.pauseReplay(infra.replica());
        try {
            post(sql("INSERT INTO " + t + " VALUES (1)")).then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> lagOf("replica1") > 0);
            sample();
            assertThat(last(read(), "lagSeconds:replica1")).isPositive();
        } finally {
            infra.resumeReplay(infra.replica());
        }
        infra.awaitReplayed(infra.replica(), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> lagOf("replica1") == 0);
        sample();
        assertThat(last(read(), "lagSeconds:replica1")).isZero();
        assertThat(read().getMap("series")).doesNotContainKey("lagSeconds:primary");
    }

    private static double lagOf(String node) {
        return given().when().get("/v1/nodes").then().statusCode(200).extract().jsonPath()
                .getDouble("find { it.name == '" + node + "' }.lagSeconds");
    }

    private void sample() {
        history.sample().await().atMost(Duration.ofSeconds(5));
    }
}
